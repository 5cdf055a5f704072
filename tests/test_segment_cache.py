"""The segmentation cache (issue 16, part 2): paragraph -> words, kept beside the index.

Real underthesea, real Whoosh indexes in temporary folders, real build processes. What is
checked: a warm rebuild makes the same index byte for byte, the cache is what a rebuild, an
INDEX_FORMAT bump and a reposted article read, an entry of another underthesea version is
never used, the bound evicts the least recently used, and neither a kill nor a damaged file
breaks a build.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import pytest
from whoosh import index

from bench.archives import Article, synthetic_articles
from bench.builds import end_group, run_build, start_build
from indexer.arrays.store import FOLDER as ARRAYS
from indexer.build.builder import build_index
from indexer.build.cli import parse_args
from indexer.build.parallel import ChunkDone
from indexer.inputs.sources import discover, read_jsonl
from indexer.pages.extract import extract_article
from indexer.records import Failure
from indexer.text import segment_cache
from indexer.text.segment import paragraph_words
from indexer.text.segment_cache import (
    CacheHooks,
    CacheSettings,
    CollectingCache,
    SegmentCache,
    cache_file,
    connect,
    namespace,
    pack_words,
    unpack_words,
)

NO_CACHE = CacheSettings(enabled=False)


def write_archive(folder: Path, articles: list[Article], name: str = "news.jsonl") -> Path:
    """An archive folder holding ``articles`` as one JSON Lines export."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(article.record(), ensure_ascii=False) for article in articles]
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def archive(tmp_path) -> Path:
    return write_archive(tmp_path / "archive", synthetic_articles(24, seed=16))


def paragraphs_of(folder: Path) -> list[str]:
    """Every paragraph the build segments, as the build extracts it."""
    sources, _ = discover([folder])
    found: list[str] = []
    for source in sources:
        for item in read_jsonl(source, b""):
            if not isinstance(item, Failure):
                article = extract_article(item[0])
                text = article.title + "\n" + article.body
                found.extend(p for p in text.split("\n") if p.strip())
    return found


@contextmanager
def database(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a cache file that commits each statement and is closed after."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        yield connection
    finally:
        connection.close()


def rows(index_dir: Path) -> dict[str, int]:
    """The cache's entries by the generation (build) that last used them, and its meta."""
    with database(cache_file(index_dir)) as connection:
        used = dict(connection.execute("SELECT used, count(*) FROM words GROUP BY used"))
        meta = dict(connection.execute("SELECT name, value FROM meta"))
    return {"count": sum(used.values()), **{f"used {k}": v for k, v in used.items()}, **meta}


def dump(index_dir: Path) -> dict:
    """Everything an index holds, by article id: stored fields, columns, every posting of
    every term of every field (raw bytes), and the derived arrays."""
    ix = index.open_dir(str(index_dir))
    with ix.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        stored = {fields["id"]: fields for _, fields in reader.iter_docs()}
        columns = {
            (name, ids[docnum]): reader.column_reader(name)[docnum]
            for name in ix.schema.names()
            if reader.has_column(name)
            for docnum in ids
        }
        postings = {}
        for name, term in reader.all_terms():
            matcher = reader.postings(name, term)
            found = []
            while matcher.is_active():
                found.append((ids[matcher.id()], matcher.value()))
                matcher.next()
            postings[(name, term)] = sorted(found)
    [arrays] = list((index_dir / ARRAYS).iterdir())
    derived = {path.name: np.load(path) for path in sorted(arrays.glob("*.npy"))}
    return {"stored": stored, "columns": columns, "postings": postings, "arrays": derived}


def assert_same_index(left: Path, right: Path) -> None:
    one, other = dump(left), dump(right)
    assert one["stored"] == other["stored"]
    assert one["columns"] == other["columns"]
    assert one["postings"] == other["postings"]
    assert one["arrays"].keys() == other["arrays"].keys()
    for name, array in one["arrays"].items():
        assert np.array_equal(array, other["arrays"][name]), name


def test_words_pack_and_unpack_against_their_paragraph():
    paragraph = "Sở Thông tin và Truyền thông tỉnh Lào Cai tổ chức diễn tập."
    words = paragraph_words(paragraph)
    assert unpack_words(paragraph, pack_words(paragraph, words)) == words
    assert unpack_words("---", pack_words("---", [])) == []
    assert unpack_words("x", pack_words("x", ["covid_-_19", "ict"])) == ["covid_-_19", "ict"]


def test_a_warm_rebuild_makes_the_same_index_byte_for_byte(archive, tmp_path):
    cold = build_index([archive], tmp_path / "ix", jobs=1)
    shutil.copytree(tmp_path / "ix", tmp_path / "cold")
    filled = rows(tmp_path / "ix")
    assert filled["count"] == filled["entries"] == len(set(paragraphs_of(archive)))
    warm = build_index([archive], tmp_path / "ix", rebuild=True, jobs=1)
    assert warm.indexed == cold.indexed == 24
    after = rows(tmp_path / "ix")
    assert after["count"] == filled["count"]  # nothing segmented anew
    assert after[f"used {after['generation']}"] == after["count"]  # every entry read
    assert_same_index(tmp_path / "ix", tmp_path / "cold")
    assert build_index([archive], tmp_path / "ix", jobs=1).unchanged == 24
    assert rows(tmp_path / "ix") == after  # nothing to segment: the cache is not opened
    build_index([archive], tmp_path / "plain", jobs=1, segment_cache=NO_CACHE)
    assert not (tmp_path / "plain" / "segment-cache").exists()
    assert_same_index(tmp_path / "ix", tmp_path / "plain")


@pytest.mark.parametrize(("version", "used"), [(None, True), ("0.0.1", False)])
def test_only_entries_of_this_underthesea_version_are_used(archive, tmp_path, version, used):
    """An entry planted under this version's key is what the build indexes (the cache is
    read); under another version's key it is never found."""
    build_index([archive], tmp_path / "ix", jobs=1)  # makes the cache file
    generation = rows(tmp_path / "ix")["generation"]
    planted = SegmentCache(cache_file(tmp_path / "ix"), generation, 10**6, namespace(version))
    for paragraph in paragraphs_of(archive):
        planted.put(paragraph, ["zzplanted"])
    with database(cache_file(tmp_path / "ix")) as connection:
        connection.execute("DELETE FROM words")  # the build's own entries go
    planted.close()
    build_index([archive], tmp_path / "ix", rebuild=True, jobs=1)
    with index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        assert (b"zzplanted" in set(searcher.lexicon("words"))) is used


def test_a_reposted_article_and_a_format_bump_segment_nothing_again(archive, tmp_path, monkeypatch):
    build_index([archive], tmp_path / "ix", jobs=1)
    before = rows(tmp_path / "ix")
    original = synthetic_articles(24, seed=16)[5]
    repost = Article("repost-1", original.title, original.published, original.body)
    write_archive(archive, [repost], name="reposts.jsonl")
    assert build_index([archive], tmp_path / "ix", jobs=1).indexed == 1
    assert rows(tmp_path / "ix")["count"] == before["count"]
    monkeypatch.setattr("indexer.build.plan.INDEX_FORMAT", "bumped")  # stamps and digests
    monkeypatch.setattr("indexer.build.plan.SALT", b"bumped")
    assert build_index([archive], tmp_path / "ix", jobs=1).indexed == 25
    after = rows(tmp_path / "ix")
    assert after["count"] == before["count"]
    assert after[f"used {after['generation']}"] == after["count"]


def test_the_least_recently_used_go_first(tmp_path):
    path = cache_file(tmp_path)
    path.parent.mkdir()
    with closing(connect(path)):  # the file, as a build's process makes it
        pass
    old = [f"đoạn cũ {n}" for n in range(8)]
    new = [f"đoạn mới {n}" for n in range(5)]
    first = SegmentCache(path, 1, 10, namespace())
    for paragraph in old:
        first.put(paragraph, [paragraph])
    first.close()
    second = SegmentCache(path, 2, 10, namespace())
    assert len(second.get_many(old[:3])) == 3  # used again by build 2
    for paragraph in new:
        second.put(paragraph, [paragraph])
    second.close()  # 13 entries > 10: down to 9, build 1's unused ones first
    third = SegmentCache(path, 3, 10, namespace())
    kept = third.get_many(old + new)
    third.close()
    assert len(kept) == 9 and set(old[:3] + new) <= set(kept)
    assert rows(tmp_path)["entries"] == 9


def _chunk_of(space: bytes, paragraphs: list[str]) -> ChunkDone:
    """A worker's report of having segmented ``paragraphs``."""
    cache = CollectingCache(space)
    for paragraph in paragraphs:
        cache.put(paragraph, [paragraph])
    new, used = cache.take()
    return ChunkDone(new_words=new, used_words=used)


def test_the_build_process_writes_batches_that_grow_with_the_file(tmp_path, monkeypatch):
    # Its keys are hashes: each entry of a small batch rewrites a page of a large file.
    monkeypatch.setattr(segment_cache, "FLUSH_SECONDS", 0.0)  # always time to write
    monkeypatch.setattr(segment_cache, "FLUSH_ENTRIES", 60)
    path = cache_file(tmp_path)
    path.parent.mkdir()
    with closing(connect(path)):
        pass
    hooks = CacheHooks(path, 1, 1000, namespace())
    written = lambda: rows(tmp_path)["count"]  # noqa: E731
    hooks.received(_chunk_of(namespace(), [f"đoạn {n}" for n in range(40)]))
    assert written() == 40  # an empty file: written at once
    hooks.received(_chunk_of(namespace(), [f"đoạn {n}" for n in range(40, 44)]))
    assert written() == 40  # 4 held: less than an eighth of 40
    hooks.received(_chunk_of(namespace(), ["đoạn 44"]))
    assert written() == 45  # 5 held: an eighth
    hooks.received(_chunk_of(namespace(), [f"đoạn mới {n}" for n in range(5)]))
    assert written() == 45  # 5 held: not an eighth of 45
    hooks.received(_chunk_of(namespace(), [f"đoạn khác {n}" for n in range(60)]))
    assert written() == 110  # FLUSH_ENTRIES held: written whatever the file holds
    hooks.received(_chunk_of(namespace(), ["đoạn cuối"]))
    hooks.close()  # what is still held is written at the end
    assert written() == rows(tmp_path)["entries"] == 111


def test_a_build_keeps_the_cache_within_its_bound(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=2, segment_cache=CacheSettings(max_entries=20))
    assert rows(tmp_path / "ix")["count"] <= 20
    assert rows(tmp_path / "ix")["count"] == rows(tmp_path / "ix")["entries"]


def damaged(data: bytes, damage: str) -> bytes:
    """A cache file's bytes, damaged: not a database at all, cut after its first page, or
    its entries' pages overwritten (pages 2-5 are the roots of the tables and the index: the
    file opens, and the workers find the damage)."""
    if damage == "garbage":
        return b"not a database " * 400
    if damage == "truncated":
        return data[:4096] + b"\0" * 4096
    return data[: 5 * 4096] + b"\xff" * (len(data) - 5 * 4096)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "entries"])
def test_a_damaged_cache_is_reported_once_and_started_anew(archive, tmp_path, caplog, damage):
    build_index([archive], tmp_path / "ix", jobs=1)
    path = cache_file(tmp_path / "ix")
    with database(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert connection.execute("PRAGMA page_count").fetchone()[0] > 5
    path.write_bytes(damaged(path.read_bytes(), damage))
    with caplog.at_level(logging.WARNING):
        report = build_index([archive], tmp_path / "ix", rebuild=True, jobs=1)
    assert (report.indexed, report.failed) == (24, 0)
    warnings = [r for r in caplog.records if "segmentation cache" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    build_index([archive], tmp_path / "again", jobs=1, segment_cache=NO_CACHE)
    assert_same_index(tmp_path / "ix", tmp_path / "again")
    build_index([archive], tmp_path / "ix", rebuild=True, jobs=2)  # the cache works again
    assert rows(tmp_path / "ix")["count"] == len(set(paragraphs_of(archive)))


def test_a_build_killed_mid_way_leaves_a_cache_that_opens(tmp_path):
    archive = write_archive(tmp_path / "archive", synthetic_articles(400, seed=61))
    process = start_build([archive], tmp_path / "ix", jobs=2)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if cache_file(tmp_path / "ix").exists() and _entries(tmp_path / "ix") > 0:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the build ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    finally:
        end_group(process.pid)
    with database(cache_file(tmp_path / "ix")) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    done = run_build([archive], tmp_path / "ix", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "segmentation cache" not in done.stderr
    build_index([archive], tmp_path / "plain", jobs=2, segment_cache=NO_CACHE)
    assert set(dump(tmp_path / "ix")["stored"]) == set(dump(tmp_path / "plain")["stored"])
    assert rows(tmp_path / "ix")["count"] == len(set(paragraphs_of(archive)))


def _entries(index_dir: Path) -> int:
    try:
        with database(cache_file(index_dir)) as connection:
            return connection.execute("SELECT count(*) FROM words").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_the_command_line_can_bypass_and_bound_the_cache():
    args = parse_args(["archive", "--no-segment-cache", "--segment-cache-entries", "1000"])
    assert (args.no_segment_cache, args.segment_cache_entries) == (True, 1000)
    assert parse_args(["archive"]).no_segment_cache is False
