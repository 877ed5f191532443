"""One small client interface over the two Python clients.

The ``elasticsearch`` client refuses to talk to OpenSearch (it checks the product), so the
engine asks the server what it is and then uses ``elasticsearch`` or ``opensearch-py``.
Every failure to reach or use the server becomes ``EngineUnavailable``.
"""

import json
import logging
import urllib.request
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice

from .base import EngineUnavailable

TIMEOUT = 10
# A rebuild's fill: requests in flight at once, and documents per request.
BULK_THREADS = 3
BULK_CHUNK = 1000
log = logging.getLogger(__name__)


def _errors() -> tuple[type[BaseException], ...]:
    import elastic_transport
    import elasticsearch
    import opensearchpy

    return (
        elastic_transport.TransportError,
        elasticsearch.ApiError,
        opensearchpy.exceptions.OpenSearchException,
        OSError,
    )


@contextmanager
def unavailable_on_error() -> Iterator[None]:
    try:
        yield
    except EngineUnavailable:
        raise
    except _errors() as error:
        raise EngineUnavailable(f"{type(error).__name__}: {error}") from error


def server_info(url: str) -> dict:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/", timeout=TIMEOUT) as response:
            return json.load(response)
    except (OSError, ValueError) as error:
        raise EngineUnavailable(f"{url}: {error}") from error


class Transport:
    """The calls the engine makes, on either client."""

    def __init__(self, url: str) -> None:
        self.url = url
        info = server_info(url)
        self.distribution = info.get("version", {}).get("distribution", "elasticsearch")
        self.version = info.get("version", {}).get("number", "")
        if self.distribution == "opensearch":
            from opensearchpy import OpenSearch, helpers

            self.client = OpenSearch(
                url, timeout=TIMEOUT, max_retries=1, pool_maxsize=BULK_THREADS + 1
            )
        else:
            from elasticsearch import Elasticsearch, helpers

            self.client = Elasticsearch(url, request_timeout=TIMEOUT, max_retries=1)
        self._helpers = helpers

    def search(self, index: str, body: dict) -> dict:
        with unavailable_on_error():
            return dict(
                self.client.search(
                    index=index, body=body, ignore_unavailable=True, allow_no_indices=True
                )
            )

    def bulk(self, actions: Iterable[dict]) -> int:
        """Send index/delete operations; returns how many the engine applied.

        A version conflict (the engine already holds a newer version) and deleting what is not
        there are expected and skipped. A document the engine refuses (a mapping error) is
        logged and dropped: retrying would not help. Anything else is an outage.
        """
        with unavailable_on_error():
            return self._applied(
                self._helpers.streaming_bulk(
                    self.client,
                    actions,
                    chunk_size=500,
                    raise_on_error=False,
                    raise_on_exception=True,
                    max_retries=2,
                )
            )

    def parallel_bulk(
        self, actions: Iterable[dict], threads: int = BULK_THREADS, chunk_size: int = BULK_CHUNK
    ) -> int:
        """Like ``bulk``, with up to ``threads`` requests in flight at once (a rebuild's fill):
        this thread builds the next chunk while the engine indexes the ones before.

        The helpers' ``parallel_bulk`` would read ``actions`` in a pool thread; here they are
        read in the caller's thread, so a generator reading the database keeps its connection.
        """

        def send(chunk: list[dict]) -> int:
            with unavailable_on_error():
                return self._applied(
                    self._helpers.streaming_bulk(
                        self.client,
                        chunk,
                        chunk_size=len(chunk),
                        raise_on_error=False,
                        raise_on_exception=True,
                        max_retries=2,
                    )
                )

        applied = 0
        pending: deque[Future] = deque()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            try:
                actions = iter(actions)
                while chunk := list(islice(actions, chunk_size)):
                    if len(pending) >= threads:
                        applied += pending.popleft().result()
                    pending.append(pool.submit(send, chunk))
                while pending:
                    applied += pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()
        return applied

    @staticmethod
    def _applied(results: Iterable[tuple[bool, dict]]) -> int:
        applied = 0
        for ok, item in results:
            result = next(iter(item.values()))
            status = result.get("status", 200)
            if ok:
                applied += 1
            elif status in (404, 409):
                continue
            elif 400 <= status < 500 and status != 429:
                log.error(
                    "The search engine refused document %s: %s",
                    result.get("_id"),
                    result.get("error"),
                )
            else:
                raise EngineUnavailable(
                    f"bulk operation failed with {status}: {result.get('error')}"
                )
        return applied

    def msearch(self, searches: list[tuple[str, dict, dict]]) -> list[dict]:
        """Several searches in one round trip (the engine runs them side by side): each is
        ``(index, header options, body)``; an error in any of them is an outage."""
        lines: list[dict] = []
        for index, options, body in searches:
            lines += [
                {"index": index, "ignore_unavailable": True, "allow_no_indices": True, **options},
                body,
            ]
        with unavailable_on_error():
            responses = dict(self.client.msearch(body=lines))["responses"]
        for response in responses:
            if "error" in response:
                raise EngineUnavailable(f"search failed: {response['error']}")
        return [dict(response) for response in responses]

    def get_settings(self, index: str) -> dict:
        """The index's own settings (``index.*``, flat), by index name."""
        with unavailable_on_error():
            found = dict(self.client.indices.get_settings(index=index, flat_settings=True))
        return {name: entry["settings"] for name, entry in found.items()}

    def put_settings(self, index: str, settings: dict) -> None:
        with unavailable_on_error():
            self.client.indices.put_settings(index=index, body={"index": settings})

    def scan_ids(self, index: str) -> Iterator[int]:
        with unavailable_on_error():
            for hit in self._helpers.scan(
                self.client,
                index=index,
                query={"query": {"match_all": {}}, "_source": False},
                ignore_unavailable=True,
            ):
                yield int(hit["_id"])

    def create_index(self, name: str, definition: dict, exist_ok: bool = False) -> None:
        with unavailable_on_error():
            if exist_ok and self.client.indices.exists(index=name):
                return
            try:
                self.client.indices.create(index=name, body=definition)
            except _errors() as error:
                if not (exist_ok and "resource_already_exists" in str(error)):
                    raise

    def indices_of(self, alias: str) -> list[str]:
        with unavailable_on_error():
            if not self.client.indices.exists_alias(name=alias):
                return []
            return list(self.client.indices.get_alias(name=alias))

    def indices_matching(self, pattern: str) -> list[str]:
        """Names of the indices matching a wildcard ``pattern``, aliased or not."""
        with unavailable_on_error():
            return list(self.client.indices.get(index=pattern, ignore_unavailable=True))

    def update_aliases(self, actions: list[dict]) -> None:
        with unavailable_on_error():
            self.client.indices.update_aliases(body={"actions": actions})

    def delete_index(self, name: str) -> None:
        with unavailable_on_error():
            self.client.indices.delete(index=name, ignore_unavailable=True)

    def refresh(self, index: str) -> None:
        with unavailable_on_error():
            self.client.indices.refresh(index=index, ignore_unavailable=True)

    def flush(self, index: str) -> None:
        """Write what the index holds to disk (a fill's translog was only synced now and then)."""
        with unavailable_on_error():
            self.client.indices.flush(index=index)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:
            return False
