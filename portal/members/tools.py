"""Member tools: pages of the member area that apps above the members add (alerts, API
tokens, imports and exports). Each app registers its tools from ``AppConfig.ready()``; the
dashboard lists them, so the members app never names the apps that serve them."""

from dataclasses import dataclass

_TOOLS: dict[str, "MemberTool"] = {}


@dataclass(frozen=True)
class MemberTool:
    """A link on the member dashboard: ``url_name`` is in the ``members:`` namespace."""

    key: str
    label: str
    url_name: str
    description: str
    order: int = 100


def register(tool: MemberTool) -> None:
    """Add ``tool`` to the dashboard (again under the same key replaces it)."""
    _TOOLS[tool.key] = tool


def member_tools() -> list[MemberTool]:
    """The registered tools, in their order."""
    return sorted(_TOOLS.values(), key=lambda tool: (tool.order, tool.label))
