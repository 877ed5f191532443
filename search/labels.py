"""What the kinds of search documents are called, as the section types declare them."""

from portal.core.sections import search_document_types


def doc_type_choices() -> list[tuple[str, str]]:
    """Every kind of document, as the section types declare them: ``("listing", "Market
    listings")``..."""
    return [(entry.key, entry.label) for entry in search_document_types()]


def kind_choices() -> list[tuple[str, str]]:
    """Sub-kinds of documents (sell offers and buy requests...), with their labels."""
    return [kind for entry in search_document_types() for kind in entry.kinds]


def type_nouns() -> dict[str, str]:
    """What one result of each kind of document is called: ``{"listing": "Listing"}``..."""
    return {entry.key: entry.noun for entry in search_document_types()}
