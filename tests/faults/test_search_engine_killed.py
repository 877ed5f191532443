"""The search engine killed in the middle of its work, then restarted: nothing is lost.

A node of the test's own (the shared ones stay up), SIGKILLed while ``search_index rebuild``
fills a new index and while the outbox worker sends changes; after the restart the worker
catches up and ``search_index verify --dry-run`` finds no difference. Runs where the engines
are available (``make test``'s SQLite pass sets SEARCH_TEST_URLS).
"""

import os
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from portal.board.models import SellOfferPage, TradeListingPage
from search import health, outbox
from search.configured import get_engine
from search.engines.elastic import ElasticEngine
from search.models import SearchOutbox
from search.query import SearchQuery

from .engines import KillableEngine

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    if not os.environ.get("SEARCH_TEST_URLS"):
        pytest.skip("needs the search engines (make test starts them)")
    engine = KillableEngine(tmp_path_factory.mktemp("engine"))
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture
def engine(node, settings):
    if node.pid() is None:
        node.start()
    settings.SEARCH_URL = node.url
    settings.SEARCH_INDEX_PREFIX = f"faults-{uuid.uuid4().hex[:8]}"
    health.mark_up()
    call_command("search_index", "rebuild", "--portal", "steel", verbosity=0)
    return get_engine()


def kill_after(node, count: int):
    """A wrapper for a function that kills the node on its ``count``-th call."""
    calls = 0

    def wrap(function):
        def dying(*args, **kwargs):
            nonlocal calls
            calls += 1
            if calls == count:
                node.kill()
            return function(*args, **kwargs)

        return dying

    return wrap


def retitle(pages, word: str) -> None:
    for page in pages:
        page.title = f"{word} {page.title}"
        page.save_revision().publish()


def offers(home, count: int) -> list[SellOfferPage]:
    return list(
        SellOfferPage.objects.live()
        .descendant_of(home)
        .filter(TradeListingPage.current())
        .order_by("pk")[:count]
    )


def found(engine, word: str) -> set[int]:
    engine.refresh(["steel"])
    results = engine.search(SearchQuery(text=word, portals=("steel",)))
    return {hit.page_id for hit in results.hits}


def catch_up_after_restart(node) -> None:
    """The restart, then what the running worker does: send what is due (backoff elapsed)."""
    node.start()
    health.mark_up()
    SearchOutbox.objects.update(next_attempt_at=timezone.now())
    call_command("search_index", "process", verbosity=0)


def test_killed_during_rebuild(node, engine, steel, monkeypatch):
    action = kill_after(node, 25)(ElasticEngine.index_action)
    monkeypatch.setattr(ElasticEngine, "index_action", staticmethod(action))
    with pytest.raises(CommandError, match="search engine is unavailable"):
        call_command("search_index", "rebuild", "--portal", "steel", verbosity=0)
    monkeypatch.undo()
    # Meanwhile editors go on publishing: their changes wait in the outbox.
    edited = offers(steel, 3)
    retitle(edited, "Tantalum")
    assert SearchOutbox.objects.filter(page_id__in=[p.pk for p in edited]).count() == 3

    catch_up_after_restart(node)
    call_command("search_index", "verify", "--portal", "steel", "--dry-run", verbosity=0)
    assert found(engine, "tantalum") == {page.pk for page in edited}
    # The next rebuild clears the half-filled index the killed one left behind.
    assert engine.abandoned_indices("steel")
    call_command("search_index", "rebuild", "--portal", "steel", verbosity=0)
    assert engine.abandoned_indices("steel") == set()
    call_command("search_index", "verify", "--portal", "steel", "--dry-run", verbosity=0)


def test_killed_during_the_outbox_drain(node, engine, steel, monkeypatch):
    edited = offers(steel, 12)
    retitle(edited, "Vanadium")  # queued (inline sending waits for a commit that never comes)
    monkeypatch.setattr(outbox, "BATCH", 4)
    monkeypatch.setattr(ElasticEngine, "index", kill_after(node, 2)(ElasticEngine.index))
    call_command("search_index", "process", verbosity=0)
    monkeypatch.undo()
    kept = SearchOutbox.objects.filter(page_id__in=[p.pk for p in edited])
    assert 0 < kept.count() < 12  # the first batch went out; the rest is kept for retry
    assert kept.filter(attempts=1).exists()

    catch_up_after_restart(node)
    assert not SearchOutbox.objects.exists()
    call_command("search_index", "verify", "--portal", "steel", "--dry-run", verbosity=0)
    assert found(engine, "vanadium") == {page.pk for page in edited}
