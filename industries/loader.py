"""Read and validate ``industries/<slug>.yaml`` into an :class:`Industry`."""

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import Industry


class IndustryError(Exception):
    """A definition file that cannot be used; the message is one line naming file and field."""


def industry_path(slug: str, directory: Path) -> Path:
    return directory / f"{slug}.yaml"


def available_slugs(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml") if not p.name.startswith("_"))


def load_industry(slug: str, directory: Path, themes: Iterable[str] | None = None) -> Industry:
    path = industry_path(slug, directory)
    if not path.is_file():
        known = ", ".join(available_slugs(directory)) or "none"
        raise IndustryError(f"{path}: no such industry file (known industries: {known})")
    return parse_industry(path, themes)


def parse_industry(path: Path, themes: Iterable[str] | None = None) -> Industry:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise IndustryError(f"{path}: not valid YAML{where}: {problem}") from None
    except OSError as error:
        raise IndustryError(f"{path}: cannot be read: {error.strerror}") from None
    if not isinstance(data, dict):
        raise IndustryError(
            f"{path}: expected a mapping of fields (name, hostname, ...) at the top"
        )
    data.setdefault("slug", path.stem)
    if data["slug"] != path.stem:
        raise IndustryError(
            f"{path}: slug: {data['slug']!r} must match the file name {path.stem!r}"
        )
    try:
        industry = Industry.model_validate(data)
    except ValidationError as error:
        raise IndustryError(f"{path}: {describe(error)}") from None
    if themes is not None and industry.theme not in set(themes):
        raise IndustryError(
            f"{path}: theme: {industry.theme!r} is not an installed theme "
            f"(expected one of: {', '.join(themes)})"
        )
    return industry


def describe(error: ValidationError) -> str:
    """The first problem as ``field.path: message (got value)``, plus a count of the others."""
    problems = error.errors(include_url=False)
    first = problems[0]
    location = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    got = first.get("input")
    shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
    if first["type"] == "missing":
        shown = ""
    more = f"; and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return f"{location}: {message}{shown}{more}"
