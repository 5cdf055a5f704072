"""Smoke test of the benchmark harness (bench/) on the fixture archive: it yields numbers.

No time is asserted: only that every piece runs and produces sane values.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import subprocess
import time

import pytest

from bench import procmem
from bench.ab import Side, compare, report
from bench.clusters import average_precision, ndcg
from bench.corpus import ROOT, BenchArticle, ensure_fts, load_articles
from bench.engines import FtsEngine, OursEngine, measure
from bench.fts import escape_fts
from bench.http import datasette_url, results_section
from bench.load import LoadResult
from bench.mix import VARIANTS, Query, build_mix, to_old_tone, typed
from bench.queries import counts_section, latency_section, mrr_section, reciprocal_rank
from bench.questions import draw_questions
from bench.questions import section as questions_section
from bench.recombine import recombined
from bench.reliability import hostile_queries, time_hostile
from bench.tables import write_section
from bench.topics import (
    Topic,
    citing_ids,
    load_topics,
    measure_topics,
    numbers_section,
    query_words,
    reference_ids,
    topics_section,
)
from indexer.text.vietnamese import normalize_text


@pytest.fixture(scope="module")
def articles(fixture_archive):
    return load_articles([fixture_archive])


@pytest.fixture(scope="module")
def fts_db(articles, tmp_path_factory):
    return ensure_fts(articles, tmp_path_factory.mktemp("fts"))


def test_harness_measures_both_engines(articles, fts_db, archive_search):
    mix = build_mix(articles, total=24, seed=3)
    assert {q.kind for q in mix.queries} >= {"title", "span", "browse"}
    ours = measure(OursEngine(archive_search).run, mix.queries, "ours")
    fts_engine = FtsEngine(fts_db)
    fts = measure(fts_engine.run, mix.queries, "fts5")
    fts_engine.close()
    assert len(ours) == len(fts) == len(mix.queries)
    assert not [o.error for o in ours + fts if o.error]
    assert all(o.seconds > 0 for o in ours + fts)
    ranks = [reciprocal_rank(q, o) for q, o in zip(mix.queries, ours, strict=True) if q.target]
    assert ranks and all(0 <= r <= 1 for r in ranks)
    for section in (latency_section, mrr_section, counts_section):
        text = section(mix, ours, fts)
        assert text.startswith("|") and "nan" not in text


def test_fts_finds_an_article_by_its_title(articles, fts_db):
    article = next(a for a in articles if len(a.title.split()) >= 4)
    engine = FtsEngine(fts_db)
    ids, total = engine.run(Query("title", article.title))
    engine.close()
    assert article.id in ids and total >= 1


def test_typing_variants():
    text = "Hòa Bình khỏe mạnh, Thủy quý"
    assert to_old_tone(text) == "Hoà Bình khoẻ mạnh, Thuỷ quý"
    for variant in VARIANTS:
        assert normalize_text(typed(text, variant)) == normalize_text(typed(text, variant))
    assert normalize_text(typed(text, "old_tone")) == text
    assert typed(text, "folded") == "Hoa Binh khoe manh, Thuy quy"


def test_escape_fts_quotes_every_word():
    assert escape_fts('hòa bình "an toàn') == '"hòa" "bình" "an toàn"'
    assert escape_fts("a b", " OR ") == '"a" OR "b"'
    assert escape_fts("  ") == ""


def test_metrics():
    rels = {"a": 1, "b": 1}
    assert ndcg(["a", "b", "c"], rels) == pytest.approx(1.0)
    assert average_precision(["c", "a"], rels) == pytest.approx(0.25)
    assert math.isclose(ndcg(["c"], rels), 0.0)


def test_urls_carry_the_whole_search():
    query = Query("browse", "", province=("bac-kan",), topic=("chuyen-doi-so",))
    assert query.url() == "/search.json?province=bac-kan&topic=chuyen-doi-so"
    url = datasette_url(Query("word", "của"))
    assert url.startswith("/fts/articles.json?_search=c%E1%BB%A7a&")
    assert "_facet_array=topics" in url and "_size=10" in url


def test_a_query_sent_alone_is_a_row_of_its_own_outside_the_ratio():
    mix = LoadResult("ours", 3000, 10.0, 5.0, 50.0, 0)
    other = LoadResult("Datasette", 100, 10.0, 500.0, 900.0, 0)
    broad = LoadResult("ours, only `q=chuyen doi so`", 2500, 10.0, 8.0, 60.0, 0)
    text = results_section([mix, other], [broad])
    assert "| ours, only `q=chuyen doi so` | 250" in text
    assert "**30.00×**" in text


def test_questions_are_labels_and_summaries_cut_to_their_lengths():
    summary = " ".join(f"w{i}" for i in range(45))
    texts = [("label", "chuyển đổi số"), ("summary", summary), ("summary", "quá ngắn")]
    kinds, warm_up = draw_questions(texts, per_kind=5, seed=1)
    assert kinds["label"] == ["chuyển đổi số"]
    assert [len(q.split()) for q in kinds["30 words"]] == [30]
    assert kinds["40 words"][0].startswith("w0 w1 ")
    assert warm_up == ["quá ngắn"]  # none of the measured questions is warmed up
    text = questions_section({"label": ([0.004, 0.006], [0.002, 0.004])})
    assert "| label | 2 | 5.0 |" in text and "| 1.67× |" in text


def test_write_section_keeps_the_others(tmp_path):
    out = tmp_path / "benchmarks.md"
    write_section(out, "A", "first")
    write_section(out, "B", "second")
    write_section(out, "A", "third")
    text = out.read_text()
    assert text.startswith("# Benchmarks")
    assert "third" in text and "second" in text and "first" not in text
    assert text.index("## A") < text.index("## B")


def test_hostile_queries_are_searched_without_raising(index_dir):
    queries = hostile_queries(["chuyển", "đổi", "số", "Bắc", "Kạn"], 14, seed=3)
    assert len(queries) == 7 and all(len(texts) == 2 for texts in queries.values())
    assert max(len(q) for q in queries["paste of 10,000 characters"]) == 10_000
    markdown, raised = time_hostile(index_dir, queries)
    assert raised == 0
    assert len(markdown.splitlines()) == 2 + 7 + 1  # header, rule, a row per kind, the total


def test_ab_of_a_checkout_against_itself_finds_identical_pages(index_dir):
    queries = [
        {"q": q, "province": [], "year": [], "topic": []}
        for q in ("chuyển đổi số", "bac kan", "570/QĐ-UBND", "")
    ]
    old, new = Side(ROOT, index_dir), Side(ROOT, index_dir)
    try:
        assert compare(old, new, queries, rounds=2) == []
    finally:
        old.close()
        new.close()
    assert len(old.seconds) == len(new.seconds) == 2 * len(queries)
    body = report(old, new, len(queries), [])
    assert "Identical pages (ids, total, shared facet counts, snippets): 4 of 4." in body


def _article(article_id: str, title: str, body: str) -> BenchArticle:
    return BenchArticle(article_id, title, body, None, None, None, (), True)


def test_the_word_level_reference_holds_each_word_as_adjacent_syllables():
    articles = [
        _article("a", "Chuyển đổi số ở Bắc Kạn", "Tỉnh đẩy mạnh chuyển đổi số."),
        _article("b", "Đổi mới", "Chuyển giao công nghệ, thay đổi số liệu."),  # no "chuyển đổi"
        _article("c", "Sở chuyển đổi mô hình", "Sở Thông tin chuyển-đổi bộ máy."),  # no "số"
        _article("d", "CHUYỂN ĐỔI SỐ", "Viết hoa vẫn là chữ đó."),
    ]
    assert query_words("chuyển đổi số") == ("chuyển_đổi", "số")
    assert reference_ids(("chuyển_đổi", "số"), articles) == {"a", "d"}
    assert reference_ids(("chuyển_đổi",), articles) == {"a", "c", "d"}


def test_topic_rows_compare_both_typings_with_the_reference():
    articles = [_article("a", "Chuyển đổi số", ""), _article("b", "Chuyển đổi số", "")]
    topic = Topic("chuyển đổi số", ("chuyển_đổi", "số"), 2)
    found = {"chuyển đổi số": {"a", "b"}, "chuyen doi so": {"a", "x", "y", "z"}}
    rows = measure_topics([topic], articles, found.__getitem__)
    assert [(r.typing, r.ratio, r.recall) for r in rows] == [
        ("accented", 1.0, 1.0),
        ("folded", 2.0, 0.5),
    ]
    section = topics_section(rows)
    assert "| accented | 1 | 1.00× | 1.00× | 100.0% | 100.0% |" in section
    assert "| folded | 1 | 2.00× | 2.00× | 50.0% | 50.0% |" in section


def test_the_topics_file_lists_enough_topics_with_their_reference():
    topics = load_topics()
    assert len(topics) >= 30
    assert all(topic.words and topic.count > 0 for topic in topics)


def test_citing_articles_are_found_from_the_text():
    articles = [
        _article("a", "Quyết định", "Theo Quyết định số 925/2006/QĐ-UBND của tỉnh."),
        _article("b", "Quyết định", "Theo Quyết định số 925/QĐ-UBND năm 2010."),
        _article("c", "Quyết định", "Theo Quyết định số 926/QĐ-UBND."),
    ]
    assert citing_ids("925/QĐ-UBND", articles) == {"a", "b"}
    assert citing_ids("925/2006/QĐ-UBND", articles) == {"a"}
    section = numbers_section(["925/QĐ-UBND"], articles, lambda q: {"a", "b", "c"})
    assert "| 1 | 2 | 2 | 100.0% | 1 |" in section


def test_recombined_articles_are_distinct_and_spread(articles):
    records = recombined(articles, 3 * len(articles), seed=3)
    assert len(records) == 3 * len(articles)
    assert len({r["body"] for r in records}) == len(records)
    assert len({r["id"] for r in records}) == len(records)
    sources = {p for a in articles for p in a.body.split("\n") if p.strip()}
    assert all(set(r["body"].split("\n")) <= sources for r in records)
    years = {r["published"][:4] for r in records}
    assert min(years) >= "2008" and max(years) <= "2025" and len(years) > 5
    assert len({r["province"] for r in records}) > 20
    assert all(r["url"].startswith("https://stttt.") and ".gov.vn/" in r["url"] for r in records)


@pytest.mark.parametrize("children_files", [True, False])
def test_a_process_tree_is_found_with_and_without_children_files(monkeypatch, children_files):
    if children_files and not procmem._CHILDREN_FILES:
        pytest.skip("this kernel has no /proc/PID/task/TID/children")
    monkeypatch.setattr(procmem, "_CHILDREN_FILES", children_files)
    # A shell with two children, one of which has a child of its own.
    shell = subprocess.Popen(["bash", "-c", "sleep 30 & bash -c 'sleep 30 & wait' & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(found := procmem.descendants(shell.pid)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert found[0] == shell.pid
        assert len(found) == len(set(found)) == 4
    finally:
        for pid in reversed(procmem.descendants(shell.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shell.wait()
    assert procmem.descendants(shell.pid) == [shell.pid]  # ended: nothing under it
