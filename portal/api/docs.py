"""The API's docs page, rendered on the server from the OpenAPI schema: no script, so the
Content-Security-Policy of public pages holds."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.core.context import portal_for_request
from portal.defences.limits import rate_limited

from .api import api

METHODS = ("get", "post", "patch", "put", "delete")


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of ``schema``: method, path, summary, parameters and responses."""
    found = []
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "secured": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _body(operation, schema),
                    "responses": sorted(operation.get("responses", {})),
                    "tag": (operation.get("tags") or [""])[0],
                }
            )
    return found


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_type(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    return schema.get("type", "")


def _body(operation: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, str]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if not ref:
        return []
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    required = set(model.get("required", []))
    return [
        {"name": name, "type": _type(field), "required": name in required}
        for name, field in model.get("properties", {}).items()
    ]


@require_GET
@rate_limited("api", method="GET")
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    portal = portal_for_request(request)
    context = {
        "endpoints": endpoints(schema),
        "schema_url": reverse("api-v1:openapi-json"),
        "base_url": request.build_absolute_uri("/api/v1"),
        "description": schema.get("info", {}).get("description", ""),
        "is_portal": portal is not None and portal.is_portal,
    }
    return render(request, "api/docs.html", context)
