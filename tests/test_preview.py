"""`python -m indexer --dry-run`, and the statistics at the end of a build."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from indexer.build.builder import build_index
from indexer.build.cli import main
from indexer.build.stats import BuildStats, failure_reason, source_name
from indexer.records import Failure, Location

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "archive"
RECORDS = ROOT / "tests" / "data" / "archive" / "news.jsonl"


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(SEEDS, folder / "sotttt.backan.gov.vn")
    shutil.copy(RECORDS, folder / "news.jsonl")
    (folder / "broken.html").write_bytes(b"")
    return folder


def test_dry_run_prints_each_article_and_writes_nothing(archive, tmp_path, capsys):
    target = tmp_path / "ix"
    assert main([str(archive), "--index", str(target), "--dry-run", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "id\tpublished\tprovince\ttopics\ttitle"
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    assert len(rows) == 5 + 8
    seed = rows["sotttt.backan.gov.vn/002_a9241768a893bb1d.txt"]
    assert seed[1:4] == ["2023-08-28", "Bắc Kạn", "Chuyển đổi số"]
    assert seed[4].startswith("Thực hiện tốt sứ mệnh dẫn dắt công cuộc chuyển đổi số")
    assert rows["fx-attt-laocai"][1:3] == ["2022-10-12", "Lào Cai"]
    assert "skipped " in err and "broken.html: empty content" in err
    assert err.rstrip().endswith("dry run: would index 13, unchanged 0, delete 0, failed 1")
    assert not target.exists()


def test_dry_run_against_an_index_shows_only_what_changed(archive, tmp_path, capsys):
    target = tmp_path / "ix"
    build_index([archive], target, jobs=1)
    shutil.copy(SEEDS / "003_1f8cfd56b29d262e.txt", archive / "new.txt")
    (archive / "news.jsonl").unlink()
    before = sorted(p.name for p in target.iterdir())
    assert main([str(archive), "--index", str(target), "--dry-run", "--jobs", "2"]) == 0
    out, err = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.splitlines()[1:]] == ["new.txt"]
    assert "would index 1, unchanged 5, delete 8, failed 1" in err
    assert sorted(p.name for p in target.iterdir()) == before


def test_parallel_dry_run_keeps_the_input_order(archive, tmp_path, capsys):
    for number in range(40):
        shutil.copy(SEEDS / "004_7cf9c1a2196799be.txt", archive / f"copy-{number:02d}.txt")
    main([str(archive), "--index", str(tmp_path / "ix"), "--dry-run", "--jobs", "2"])
    one = capsys.readouterr().out
    main([str(archive), "--index", str(tmp_path / "ix"), "--dry-run", "--jobs", "1"])
    assert capsys.readouterr().out == one


def test_a_build_ends_with_statistics(archive, tmp_path, capsys):
    assert main([str(archive), "--index", str(tmp_path / "ix"), "--jobs", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("indexed 13, unchanged 0, deleted 0, failed 1")
    lines = err.splitlines()
    start = lines.index("by source (indexed, failed):")
    table = {line.split()[0]: line.split()[1:] for line in lines[start + 1 : start + 4]}
    assert table == {
        "archive/": ["0", "1"],
        "news.jsonl": ["8", "0"],
        "sotttt.backan.gov.vn/": ["5", "0"],
    }
    assert "by province: Bắc Kạn 3, " in err and ", unknown 3" in err
    assert "by year: 2013 1, " in err and err.count("unknown") == 2
    assert "failures by reason: empty content 1" in err


def test_quiet_builds_print_no_statistics(archive, tmp_path, capsys):
    main([str(archive), "--index", str(tmp_path / "ix"), "--quiet"])
    assert "by source" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("malformed JSON: Expecting value: line 1 column 2 (char 1)", "malformed JSON"),
        ("duplicate id 'bad-b1' (first at line 1)", "duplicate id"),
        ("sidecar page.json is not valid JSON: Expecting", "sidecar page.json is not valid JSON"),
        ("empty content", "empty content"),
        ("cannot read further at 4096: Compressed file ended", "cannot read further"),
    ],
)
def test_failure_reasons_drop_their_details(reason, kind):
    assert failure_reason(reason) == kind


def test_source_names(tmp_path):
    root = tmp_path / "archive"
    assert source_name(str(root / "site.gov.vn" / "a" / "b.html"), [root]) == "site.gov.vn/"
    assert source_name(str(root / "page.html"), [root]) == "archive/"
    assert source_name(str(root / "news.jsonl"), [root]) == "news.jsonl"
    assert source_name(str(root / "crawl.warc.gz"), [root]) == "crawl.warc.gz"
    assert source_name(str(tmp_path / "elsewhere.txt"), [root]) == "elsewhere.txt"


def test_failures_inside_a_file_count_for_its_source(tmp_path):
    root = tmp_path / "archive"
    stats = BuildStats()
    stats.add_failure(
        Failure(Location(str(root / "news.jsonl"), line=12), "malformed JSON"), [root]
    )
    warc = Location(str(root / "site" / "crawl.warc.gz"), offset=1234)
    stats.add_failure(Failure(warc, "cannot read further: x"), [root])
    assert Counter(stats.failed_by_source) == {"news.jsonl": 1, "site/": 1}


def test_locations_read_as_messages_show_them():
    assert str(Location("a/news.jsonl", line=12)) == "a/news.jsonl:12"
    assert str(Location("a/crawl.warc.gz", offset=1234)) == "a/crawl.warc.gz@1234"
    assert str(Location("a/page.html")) == "a/page.html"


def test_statistics_list_the_largest_sources_and_sum_the_rest(tmp_path):
    stats = BuildStats()
    for number in range(40):
        for _ in range(number + 1):
            stats.add_article(f"site{number:02d}/", f"Tỉnh {number}", "2021")
    stats.add_failure(Failure(Location(str(tmp_path / "x.txt")), "empty content"), [tmp_path])
    lines = stats.lines()
    assert lines[0] == "by source (indexed, failed; the 30 largest of 41):"
    assert "site39/" in lines[1 + 29] and not any("site00/" in line for line in lines)
    assert lines[-3].endswith(f"others {sum(range(1, 29)):,}")
    assert lines[-2] == "by year: 2021 820"
    assert Counter(stats.failures_by_reason) == {"empty content": 1}
