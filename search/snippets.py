"""Highlighted snippets for engines without a highlighter: escaped text, matches in <mark>."""

import re
import unicodedata

from django.utils.html import escape

WINDOW = 28  # words


def fold(text: str) -> str:
    """Lower case without accents, for matching ``café`` with ``cafe``."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )


def terms_of(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", fold(query)) if len(t) > 1][:10]


def snippet(text: str, query: str, window: int = WINDOW) -> str:
    """About ``window`` words around the first match, every matching word marked."""
    words = text.split()
    if not words:
        return ""
    terms = terms_of(query)

    def matches(word: str) -> bool:
        folded = fold(word)
        return any(folded.startswith(term) or term in folded for term in terms)

    first = next((i for i, word in enumerate(words) if matches(word)), 0)
    start = max(0, first - window // 3)
    chosen = words[start : start + window]
    out = [f"<mark>{escape(w)}</mark>" if terms and matches(w) else str(escape(w)) for w in chosen]
    prefix = "… " if start else ""
    suffix = " …" if start + window < len(words) else ""
    return prefix + " ".join(out) + suffix
