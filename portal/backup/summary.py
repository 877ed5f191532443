"""What an archive holds, in words for the operator."""

NOUNS = {
    "wagtailcore.page": "pages",
    "wagtailcore.revision": "revisions",
    "wagtailimages.image": "images",
    "wagtaildocs.document": "documents",
    "core.category": "categories",
    "core.region": "regions",
    "members.membership": "members",
    "board.inquiry": "inquiries",
    "board.quote": "quotes",
}


def describe_counts(counts: dict[str, int]) -> str:
    """``69 pages, 6 revisions, 7 images…``: the tables an operator knows, pages of every type
    counted together."""
    totals: dict[str, int] = {}
    for label, count in counts.items():
        noun = NOUNS.get(label) or ("pages" if _is_page(label) else None)
        if noun:
            totals[noun] = totals.get(noun, 0) + count
    order = list(dict.fromkeys(NOUNS.values()))
    return ", ".join(f"{totals[noun]:,} {noun}" for noun in order if totals.get(noun))


def _is_page(label: str) -> bool:
    from django.apps import apps
    from wagtail.models import Page

    try:
        return issubclass(apps.get_model(label), Page)
    except LookupError:
        return False
