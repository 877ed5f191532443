"""What RFC 4287 asks of an Atom feed, checked element by element (lxml)."""

import re
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
# RFC 3339 date-time, as section 3.3 of RFC 4287 wants it.
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FEED_CHILDREN = {
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
}
ENTRY_CHILDREN = {
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
}
ONCE = ("id", "title", "updated")


def _one(parent: etree._Element, name: str) -> etree._Element:
    found = parent.findall(f"a:{name}", NS)
    assert len(found) == 1, f"{parent.tag} needs exactly one {name}, has {len(found)}"
    return found[0]


def _check_construct(element: etree._Element, where: str) -> None:
    for name in ONCE:
        node = _one(element, name)
        assert (node.text or "").strip(), f"{where}: empty {name}"
    assert DATE.match(_one(element, "updated").text), f"{where}: updated is not RFC 3339"
    identifier = urlsplit(_one(element, "id").text)
    assert identifier.scheme and identifier.netloc, f"{where}: id is not an absolute IRI"
    for link in element.findall("a:link", NS):
        assert link.get("href"), f"{where}: link without href"
    alternates = [
        (link.get("type"), link.get("hreflang"))
        for link in element.findall("a:link", NS)
        if link.get("rel", "alternate") == "alternate"
    ]
    assert len(alternates) == len(set(alternates)), f"{where}: two alternates of one type"


def _has_author(element: etree._Element) -> bool:
    return any(
        (author.findtext("a:name", namespaces=NS) or "").strip()
        for author in element.findall("a:author", NS)
    )


def check_atom(body: bytes) -> etree._Element:
    """The feed element of ``body``, after checking the rules of RFC 4287 sections 4.1.1
    (feed) and 4.1.2 (entry): required elements once each, dates, ids, authors, links."""
    root = etree.fromstring(body)
    assert root.tag == f"{{{ATOM}}}feed", "not an Atom feed"
    for child in root:
        assert child.tag.startswith(f"{{{ATOM}}}"), f"foreign element {child.tag}"
        assert child.tag.split("}")[1] in FEED_CHILDREN, f"unknown feed element {child.tag}"
    _check_construct(root, "feed")
    selves = [link for link in root.findall("a:link", NS) if link.get("rel") == "self"]
    assert len(selves) == 1, "a feed should say where it is (rel=self)"
    feed_author = _has_author(root)
    ids = set()
    for number, entry in enumerate(root.findall("a:entry", NS), start=1):
        where = f"entry {number}"
        for child in entry:
            assert child.tag.split("}")[1] in ENTRY_CHILDREN, f"{where}: {child.tag}"
        _check_construct(entry, where)
        assert feed_author or _has_author(entry), f"{where}: no author"
        content = entry.find("a:content", NS)
        alternates = [
            link
            for link in entry.findall("a:link", NS)
            if link.get("rel", "alternate") == "alternate"
        ]
        assert content is not None or alternates, f"{where}: no content and no alternate link"
        for name in ("published",):
            node = entry.find(f"a:{name}", NS)
            assert node is None or DATE.match(node.text), f"{where}: {name} not RFC 3339"
        identifier = _one(entry, "id").text
        assert identifier not in ids, f"{where}: id used twice"
        ids.add(identifier)
    return root


def entry_links(feed: etree._Element) -> list[str]:
    return [entry.find("a:link", NS).get("href") for entry in feed.findall("a:entry", NS)]
