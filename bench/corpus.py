"""Shared benchmark helpers: the corpus as articles, our Whoosh index of it, and an FTS5 twin.

Both engines see the same articles: they are read with the indexer's own sources and
extraction, and the SQLite FTS5 database gets the id, title, body and facet values (province
slug, year, topic slugs) the index holds. Both live in a cache folder named after the inputs'
paths, sizes and modification times (default ``bench/.cache/``) and are reused: the Whoosh
index is brought up to date by the incremental build (cheap when nothing changed; a new index
format rebuilds it), the FTS5 database is rebuilt only when missing or of another format.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.build.builder import build_index
from indexer.build.schema import INDEX_FORMAT, province_slug, topic_slugs
from indexer.inputs.sources import SourceError, SourceFile, discover, read_jsonl, read_page
from indexer.pages.extract import extract_article
from indexer.records import ExtractionError, Failure, Location

log = logging.getLogger("bench")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = ROOT / "bench" / ".cache"
FTS_FORMAT = "1"  # bump when the FTS5 database layout changes
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

_FTS_SCHEMA = f"""
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published TEXT,
    province TEXT,  -- facet value: indexer.build.schema.province_slug
    year TEXT,
    topics TEXT NOT NULL  -- facet values: JSON array of topic slugs (Datasette _facet_array)
);
CREATE TABLE article_topics (
    article_rowid INTEGER NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (topic, article_rowid)
) WITHOUT ROWID;
CREATE INDEX article_topics_rowid ON article_topics (article_rowid);
CREATE INDEX articles_province ON articles (province);
CREATE INDEX articles_year ON articles (year);
CREATE INDEX articles_published ON articles (published);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content=[articles], tokenize='{FTS_TOKENIZE}'
);
CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class BenchArticle:
    """One article as both engines index it, with its facet values."""

    id: str
    title: str
    body: str
    published: str | None
    province: str | None  # facet value (slug)
    year: str | None
    topics: tuple[str, ...]  # facet values (slugs)
    given_title: bool  # the source gave a headline (not derived from the body)


def setup_logging(verbose: bool = True) -> None:
    """Progress on stderr, numbers stay on stdout."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
    )


def _records(source: SourceFile) -> Iterable:
    if source.kind == "jsonl":
        return read_jsonl(source, b"")
    try:
        return [read_page(source, b"")]
    except (OSError, SourceError) as error:
        return [Failure(Location(source.key), str(error))]


def _given_title(fields: dict) -> bool:
    title = fields.get("title") if isinstance(fields, dict) else None
    return isinstance(title, str) and bool(title.strip())


def iter_articles(paths: list[Path]) -> Iterator[BenchArticle]:
    """Every article of the inputs, extracted as the indexer extracts it (first id wins)."""
    sources, failures = discover(paths)
    for failure in failures:
        log.warning("skipped %s: %s", failure.location, failure.reason)
    seen: set[str] = set()
    for source in sources:
        for item in _records(source):
            if isinstance(item, Failure):
                log.warning("skipped %s: %s", item.location, item.reason)
                continue
            record, _digest = item
            if record.id in seen:
                continue
            seen.add(record.id)
            try:
                article = extract_article(record)
            except ExtractionError as error:
                log.warning("skipped %s", error)
                continue
            given = _given_title(record.fields) or record.kind != "jsonl"
            yield BenchArticle(
                id=article.id,
                title=article.title,
                body=article.body,
                published=article.published,
                province=province_slug(article.province),
                year=article.year,
                topics=tuple(topic_slugs(article.topics)),
                given_title=given,
            )


def load_articles(paths: list[Path]) -> list[BenchArticle]:
    """All articles of the inputs, in input order, with progress on stderr."""
    started = time.perf_counter()
    articles = []
    for article in iter_articles(paths):
        articles.append(article)
        if len(articles) % 5000 == 0:
            log.info("read %d articles ...", len(articles))
    log.info("read %d articles in %.1f s", len(articles), time.perf_counter() - started)
    return articles


def corpus_key(paths: list[Path]) -> str:
    """A short hash of the input files' paths, sizes and modification times, and the format.

    The index format is part of the key because the incremental build skips an input whose
    size and modification time are unchanged without looking at the format it was indexed in.
    """
    sources, _failures = discover(paths)
    hasher = hashlib.blake2b(digest_size=8)
    hasher.update(f"index format {INDEX_FORMAT}\n".encode())
    for source in sorted(sources, key=lambda s: s.key):
        hasher.update(f"{source.key}\0{source.stamp}\n".encode())
    return hasher.hexdigest()


def cache_folder(paths: list[Path], cache_root: Path = DEFAULT_CACHE) -> Path:
    """The cache folder of these inputs: ``<first input's name>-<key>``."""
    name = paths[0].name.split(".")[0] if paths else "empty"
    if len(paths) > 1:
        name += f"+{len(paths) - 1}"
    folder = cache_root / f"{name}-{corpus_key(paths)}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ensure_index(
    paths: list[Path], folder: Path, jobs: int | None = None, rebuild: bool = False
) -> Path:
    """Our Whoosh index of the inputs in ``folder/index``, built or brought up to date."""
    index_dir = folder / "index"
    log.info("whoosh index %s: %s ...", index_dir, "rebuilding" if rebuild else "updating")
    report = build_index(paths, index_dir, rebuild=rebuild, jobs=jobs or os.cpu_count() or 1)
    log.info("whoosh index: %s", report.summary())
    for failure in report.failures[:10]:
        log.warning("index: %s: %s", failure.location, failure.reason)
    return index_dir


def _fts_version() -> str:
    return f"fts={FTS_FORMAT};index={INDEX_FORMAT}"


def _fts_is_current(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM bench_meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == _fts_version()


def _fill_fts(db: sqlite3.Connection, articles: Iterable[BenchArticle]) -> int:
    count = 0
    for article in articles:
        cursor = db.execute(
            "INSERT INTO articles (id, title, body, published, province, year, topics)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.title,
                article.body,
                article.published,
                article.province,
                article.year,
                json.dumps(list(article.topics), ensure_ascii=False),
            ),
        )
        db.executemany(
            "INSERT INTO article_topics (article_rowid, topic) VALUES (?, ?)",
            [(cursor.lastrowid, topic) for topic in article.topics],
        )
        count += 1
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    return count


def ensure_fts(articles: Iterable[BenchArticle], folder: Path) -> Path:
    """The SQLite FTS5 database of the articles in ``folder/fts.db``, built when missing."""
    db_path = folder / "fts.db"
    if _fts_is_current(db_path):
        log.info("fts5 database %s: up to date", db_path)
        return db_path
    started = time.perf_counter()
    partial = db_path.with_suffix(".db.partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.executescript(_FTS_SCHEMA)
        count = _fill_fts(db, articles)
        db.execute("INSERT INTO bench_meta VALUES ('version', ?)", (_fts_version(),))
        db.commit()
        db.execute("ANALYZE")
    finally:
        db.close()
    partial.replace(db_path)
    log.info("fts5 database: %d articles in %.1f s", count, time.perf_counter() - started)
    return db_path
