"""The portal's sections, one index page per section type the file lists; a section that left
the file is unpublished, one that came back is published again."""

from wagtail.models import Page

from portal.core.models import PortalHomePage
from portal.core.sections import section_type

from ..schema import Industry, Section
from .report import LaunchReport, update_page


def sync_sections(industry: Industry, home: PortalHomePage, report: LaunchReport) -> list[Page]:
    children = {type(p): p for p in home.get_children().specific()}
    wanted = []
    for section in industry.sections:
        model = section_type(section.kind).index_page_class
        page = children.pop(model, None)
        if page is None:
            page = model(slug=section.url_slug, **_section_values(section))
            home.add_child(instance=page)
            page.save_revision().publish()
            report.note(f"section {section.display_title}")
        else:
            update_page(page, _section_values(section), report, republish=not page.live)
        wanted.append(page)
        launch = section_type(section.kind).launch
        if launch is not None:
            for line in launch(page, section.parsed_options()):
                report.note(line)
    for page in children.values():
        if page.live:
            page.unpublish()
            report.note(f"unpublished section {page.title} (no longer in the industry file)")
    return wanted


def _section_values(section: Section) -> dict[str, object]:
    return {"title": section.display_title, "intro": section.intro, "show_in_menus": True}
