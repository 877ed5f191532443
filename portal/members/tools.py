"""Member tools: pages of the member area that apps above the members add (alerts, API
tokens, imports and exports). Each app registers its tools from ``AppConfig.ready()``; the
dashboard lists them, so the members app never names the apps that serve them."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.core.context import Portal

_TOOLS: dict[str, "MemberTool"] = {}


@dataclass(frozen=True)
class MemberTool:
    """A link on the member dashboard: ``url_name`` is in the ``members:`` namespace."""

    key: str
    label: str
    url_name: str
    description: str
    order: int = 100
    # The section a portal needs for the tool ("app_label.IndexModel"); None: every portal.
    needs_section: str | None = None


def register(tool: MemberTool) -> None:
    """Add ``tool`` to the dashboard (again under the same key replaces it)."""
    _TOOLS[tool.key] = tool


def member_tools(portal: "Portal | None" = None) -> list[MemberTool]:
    """The registered tools, in their order; with ``portal``, those it has the section for."""
    tools = sorted(_TOOLS.values(), key=lambda tool: (tool.order, tool.label))
    if portal is None:
        return tools
    return [
        tool for tool in tools if not tool.needs_section or portal.has_section(tool.needs_section)
    ]
