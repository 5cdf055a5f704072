"""The SQLite FTS5 baseline: the same search page as ours, written the way an FTS5 user would.

A query's words are quoted one by one (as Datasette's ``escape_fts`` does) and must all
match; the top 10 come by ``bm25`` with ``highlight()`` and ``snippet()``, and the province,
year and topic counts are taken over the whole match set, each filtered by the other facets'
selected values, as ours are. An empty query lists the articles newest first.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = 10
SNIPPET_TOKENS = 24
FACETS = ("province", "year", "topic")

_ESCAPE_RE = re.compile(r'\s+|(".*?")')


def escape_fts(query: str, operator: str = " ") -> str:
    """Quote every word of a user's query for FTS5 MATCH (Datasette's rule); '' when empty.

    ``operator`` joins the quoted words: ``" "`` (all must match) or ``" OR "`` (any; each
    distinct word then comes once: a long summary repeats its words, and bm25 over hundreds
    of OR-ed phrases costs FTS5 about a third of a second per query).
    """
    if query.count('"') % 2:
        query += '"'
    bits = [bit for bit in _ESCAPE_RE.split(query) if bit and bit != '""']
    if operator.strip() == "OR":
        bits = list({bit.lower(): bit for bit in reversed(bits)}.values())[::-1]
    quoted = [bit if bit.startswith('"') else '"' + bit + '"' for bit in bits]
    return operator.join(quoted)


@dataclass
class FtsHit:
    """One result: its id, highlighted title and body snippet (HTML-ish, as FTS5 makes them)."""

    id: str
    title_html: str
    snippet: str


@dataclass
class FtsPage:
    """One page of FTS5 results with the facet counts of the whole match set."""

    total: int
    hits: list[FtsHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class _Where:
    match: str | None
    filters: dict[str, tuple[str, ...]]

    def sql(self, skip: str | None = None, join_topics: bool = False) -> tuple[str, list]:
        """FROM ... WHERE ... of the match set, filtered by every facet but ``skip``."""
        params: list = []
        if self.match is not None:
            sql = "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        else:
            sql = "FROM articles a"
        if join_topics:
            sql += " JOIN article_topics t ON t.article_rowid = a.rowid"
        clauses = []
        if self.match is not None:
            clauses.append("articles_fts MATCH ?")
            params.append(self.match)
        for name, values in self.filters.items():
            if not values or name == skip:
                continue
            marks = ", ".join("?" * len(values))
            if name == "topic":
                topics = f"SELECT article_rowid FROM article_topics WHERE topic IN ({marks})"
                clauses.append(f"a.rowid IN ({topics})")
            else:
                clauses.append(f"a.{name} IN ({marks})")
            params.extend(values)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return sql, params


class FtsSearch:
    """Searches an FTS5 database made by ``bench.corpus.ensure_fts``."""

    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def search(
        self,
        q: str,
        province: tuple[str, ...] = (),
        year: tuple[str, ...] = (),
        topic: tuple[str, ...] = (),
        operator: str = " ",
        facets: bool = True,
    ) -> FtsPage:
        """Top 10 with highlights, the total, and (unless ``facets`` is false) 3 facet counts."""
        match = escape_fts(q, operator) or None
        where = _Where(match, {"province": province, "year": year, "topic": topic})
        sql, params = where.sql()
        total = self.db.execute("SELECT count(*) " + sql, params).fetchone()[0]
        page = FtsPage(total, self._hits(where))
        if facets:
            page.facets = {name: self._facet(where, name) for name in FACETS}
        return page

    def ranked_ids(self, q: str, operator: str = " ") -> list[str]:
        """Only the ids of the top 10 by bm25 (for quality runs: no snippets, no counts)."""
        match = escape_fts(q, operator)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT {PAGE_SIZE}",
            (match,),
        )
        return [row[0] for row in rows]

    def _hits(self, where: _Where) -> list[FtsHit]:
        sql, params = where.sql()
        if where.match is not None:
            columns = (
                "a.id, highlight(articles_fts, 0, '<mark>', '</mark>'),"
                f" snippet(articles_fts, 1, '<mark>', '</mark>', '…', {SNIPPET_TOKENS})"
            )
            order = "ORDER BY articles_fts.rank"
        else:
            columns = "a.id, a.title, substr(a.body, 1, 200)"
            order = "ORDER BY a.published DESC, a.rowid DESC"
        rows = self.db.execute(f"SELECT {columns} {sql} {order} LIMIT {PAGE_SIZE}", params)
        return [FtsHit(*row) for row in rows]

    def _facet(self, where: _Where, name: str) -> dict[str, int]:
        if name == "topic":
            sql, params = where.sql(skip=name, join_topics=True)
            column = "t.topic"
        else:
            sql, params = where.sql(skip=name)
            column = f"a.{name}"
            sql += (" AND " if " WHERE " in sql else " WHERE ") + f"{column} IS NOT NULL"
        rows = self.db.execute(f"SELECT {column}, count(*) {sql} GROUP BY {column}", params)
        return dict(rows.fetchall())
