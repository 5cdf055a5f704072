"""The two engines behind one call, and timing a list of queries through either."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.fts import FtsSearch
from bench.mix import Query
from search_app import create_app
from search_app.engine.search import ArchiveSearch, SearchRequest

log = logging.getLogger("bench")


@dataclass
class Outcome:
    """What one query gave: its wall time, the ids of the first page, the total, or an error."""

    seconds: float
    ids: list[str]
    total: int
    error: str | None = None


class OursEngine:
    """Our search, called as the views call it: ``ArchiveSearch.search`` (hits + 3 facets)."""

    name = "ours"

    def __init__(self, svc: ArchiveSearch) -> None:
        self.svc = svc

    @classmethod
    def open(cls, index_dir: Path) -> OursEngine:
        """The search service of an app made for one index folder."""
        app = create_app({"INDEX_DIR": str(index_dir)})
        return cls(app.extensions["archive_search"])

    def close(self) -> None:
        """Close the service's searcher."""
        self.svc.handle.close()

    def counted_ids(self, q: str) -> set[str]:
        """The articles a query counts (its strict set): what its total and facets count."""
        return set(self.svc.matched_ids(SearchRequest(q=q)))

    def run(self, query: Query) -> tuple[list[str], int]:
        """Search one query; the ids of the first page and the total.

        A hit's near-duplicates, listed under it on the page ("N bài tương tự"), follow it in
        the ids: the page shows them there (counting only the group heads would score a
        cluster of reposts as one relevant article).
        """
        request = SearchRequest(
            q=query.q, province=query.province, year=query.year, topic=query.topic
        )
        page = self.svc.search(request)
        ids = [i for hit in page.hits for i in (hit.id, *(s.id for s in hit.similar))]
        return ids, page.total


class FtsEngine:
    """The FTS5 baseline doing the same work: top 10 by bm25 with snippets + 3 facet counts."""

    def __init__(self, db_path: Path, operator: str = " ", rank_only: bool = False) -> None:
        self.fts = FtsSearch(db_path)
        self.operator = operator
        self.rank_only = rank_only  # only the top 10 ids: no snippets, total or facets
        self.name = "fts5" if operator == " " else "fts5-or"

    def close(self) -> None:
        """Close the database."""
        self.fts.close()

    def run(self, query: Query) -> tuple[list[str], int]:
        """Search one query; the ids of the first page and the total."""
        if self.rank_only:
            ids = self.fts.ranked_ids(query.q, self.operator)
            return ids, len(ids)
        page = self.fts.search(query.q, query.province, query.year, query.topic, self.operator)
        return [hit.id for hit in page.hits], page.total


def measure(
    run: Callable[[Query], tuple[list[str], int]],
    queries: Sequence[Query],
    label: str,
) -> list[Outcome]:
    """Run every query once, timing each with perf_counter; errors are recorded, not raised."""
    outcomes = []
    started = time.perf_counter()
    for i, query in enumerate(queries, 1):
        t0 = time.perf_counter()
        try:
            ids, total = run(query)
            error = None
        except Exception as exc:  # a benchmark reports every failing query and goes on
            ids, total, error = [], 0, f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(time.perf_counter() - t0, ids, total, error))
        if error:
            log.warning("%s: query %r failed: %s", label, query.q[:80], error)
        if i % 100 == 0 or i == len(queries):
            log.info(
                "%s: %d/%d queries, %.1f s", label, i, len(queries), time.perf_counter() - started
            )
    return outcomes
