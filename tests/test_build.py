"""The indexer end to end: incremental builds, bad inputs, the command line."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index

from indexer.build.builder import BuildError, build_index, extract_task, read_manifests
from indexer.build.cli import main
from indexer.build.plan import plan_build
from indexer.inputs.loading import load_records
from indexer.inputs.sources import discover, read_jsonl
from indexer.records import Article, Failure

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "archive" / "003_1f8cfd56b29d262e.txt"
RECORDS = ROOT / "tests" / "data" / "archive" / "news.jsonl"


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / "seed.txt")
    shutil.copy(RECORDS, folder / "sub" / "news.jsonl")
    return folder


def stored_ids(index_dir: Path) -> set[str]:
    return set(read_manifests(index.open_dir(str(index_dir))))


def titles(index_dir: Path) -> dict[str, str]:
    with index.open_dir(str(index_dir)).searcher() as searcher:
        return {doc["id"]: doc["title"] for doc in searcher.all_stored_fields()}


def test_first_build_indexes_pages_and_records(archive, tmp_path):
    report = build_index([archive], tmp_path / "ix", jobs=2)
    assert (report.indexed, report.unchanged, report.failed) == (9, 0, 0)
    assert "seed.txt" in stored_ids(tmp_path / "ix")
    assert "fx-attt-laocai" in stored_ids(tmp_path / "ix")


def test_rerun_with_nothing_changed_skips_everything(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged, report.deleted) == (0, 9, 0)


def test_touched_file_is_read_but_not_reindexed(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    os.utime(archive / "seed.txt", ns=(1, 1))
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged) == (0, 9)


def test_changed_page_and_record_are_replaced(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    page = archive / "seed.txt"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "triển khai nhiệm vụ năm 2021", "tổng kết năm 2021"
        ),
        encoding="utf-8",
    )
    lines = (archive / "sub" / "news.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["title"] = "Diễn tập an toàn thông tin mạng năm 2022 tại Lào Cai"
    lines[0] = json.dumps(record, ensure_ascii=False)
    (archive / "sub" / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged, report.deleted) == (2, 7, 0)
    found = titles(tmp_path / "ix")
    assert found["seed.txt"].endswith("tổng kết năm 2021")
    assert found["fx-attt-laocai"] == "Diễn tập an toàn thông tin mạng năm 2022 tại Lào Cai"
    assert len(found) == 9  # replaced, not added


def test_deleted_file_and_record_are_removed(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    (archive / "seed.txt").unlink()
    lines = (archive / "sub" / "news.jsonl").read_text(encoding="utf-8").splitlines()
    (archive / "sub" / "news.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged, report.deleted) == (0, 7, 2)
    assert (
        stored_ids(tmp_path / "ix") == set(titles(tmp_path / "ix"))
        and len(titles(tmp_path / "ix")) == 7
    )


def test_inputs_outside_the_given_paths_are_kept(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEED, other / "again.txt")
    report = build_index([other], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.deleted) == (1, 0)
    assert len(stored_ids(tmp_path / "ix")) == 10


def test_broken_files_are_reported_and_the_rest_indexed(archive, tmp_path):
    (archive / "junk.html").write_bytes(os.urandom(2048).replace(b"<", b"x"))
    (archive / "empty.txt").write_bytes(b"")
    with (archive / "sub" / "news.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"id": "broken", "title": \n')
        stream.write('{"title": "no id", "body": "Nội dung"}\n')
    report = build_index([archive], tmp_path / "ix", jobs=2)
    assert report.indexed == 9
    reasons = {str(f.location).rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert set(reasons) == {"junk.html", "empty.txt", "news.jsonl:9", "news.jsonl:10"}
    assert "malformed JSON" in reasons["news.jsonl:9"]
    assert "no id" in reasons["news.jsonl:10"]


def test_a_failing_input_keeps_its_last_good_version(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    (archive / "seed.txt").write_bytes(b"")
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert report.failed == 1 and report.deleted == 0
    assert "seed.txt" in titles(tmp_path / "ix")


def test_rebuild_reindexes_everything(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    report = build_index([archive], tmp_path / "ix", rebuild=True, jobs=1)
    assert (report.indexed, report.unchanged) == (9, 0)
    assert len(titles(tmp_path / "ix")) == 9


def test_a_second_writer_gets_a_clear_error(archive, tmp_path):
    build_index([archive], tmp_path / "ix", jobs=1)
    writer = index.open_dir(str(tmp_path / "ix")).writer()
    try:
        with pytest.raises(BuildError, match="another build"):
            build_index([archive], tmp_path / "ix", jobs=1)
    finally:
        writer.cancel()


def test_cli_summary_and_exit_status(archive, tmp_path, capsys):
    (archive / "empty.txt").write_bytes(b"")
    assert main([str(archive), "--index", str(tmp_path / "ix"), "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("indexed 9, unchanged 0, deleted 0, failed 1 in ")
    assert "empty.txt" in err

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    assert main([str(bad), "--index", str(tmp_path / "ix2"), "--jobs", "1"]) == 1
    assert main([str(tmp_path / "missing"), "--index", str(tmp_path / "ix3")]) == 1


def run_indexer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_python_dash_m_indexer_runs(archive, tmp_path):
    result = run_indexer(str(archive), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("indexed 9,")


def _run_on_a_terminal(args: list[str]) -> str:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: the indexer with a terminal as stdout and stderr
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "indexer", *args])
    output = b""
    try:
        while chunk := os.read(fd, 4096):
            output += chunk
    except OSError:  # the terminal closes when the child exits
        pass
    os.waitpid(pid, 0)
    return output.decode("utf-8", errors="replace")


def test_progress_bar_on_a_terminal_only(archive, tmp_path):
    on_terminal = _run_on_a_terminal([str(archive), "--index", str(tmp_path / "ix1")])
    assert re.search(r"\d+%\|.*\| \d+/9 ", on_terminal), on_terminal
    piped = run_indexer(str(archive), "--index", str(tmp_path / "ix2"))
    assert piped.returncode == 0 and "%|" not in piped.stderr + piped.stdout


def test_a_new_index_format_reindexes_unchanged_files(archive, tmp_path, monkeypatch):
    build_index([archive], tmp_path / "ix", jobs=1)
    from indexer.build import plan

    monkeypatch.setattr(plan, "INDEX_FORMAT", "test-next")
    monkeypatch.setattr(plan, "SALT", b"test-next")
    report = build_index([archive], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged) == (9, 0)
    assert len(titles(tmp_path / "ix")) == 9


def test_the_plan_holds_no_page_bytes_and_a_page_gone_since_is_a_failure(archive, tmp_path):
    """A page file is hashed when planned and read again where it is extracted, so that the
    build's process never holds an archive's pages; one deleted in between is reported."""
    shutil.copy(ROOT / "archive" / "000_b31f338fe211c5e8.txt", archive / "other.txt")
    sources, _ = discover([archive])
    tasks = plan_build(sources, {}, [archive]).tasks
    pages = [task for task in tasks if task.record.kind in ("txt", "html")]
    assert pages and all(not t.record.content and t.record.reread_from for t in pages)
    assert isinstance(extract_task(pages[0]), Article)
    os.remove(pages[1].record.reread_from)
    gone = extract_task(pages[1])
    assert isinstance(gone, Failure) and gone.location == pages[1].record.location
    assert "No such file" in gone.reason


def test_the_plan_holds_no_json_lines_records_and_reads_them_again_in_one_pass(archive, tmp_path):
    gz = archive / "more.jsonl.gz"
    lines = RECORDS.read_bytes().splitlines(keepends=True)
    gz.write_bytes(
        gzip.compress(b"".join(line.replace(b'"id": "', b'"id": "gz-') for line in lines))
    )
    sources, _ = discover([archive])
    direct = {
        item[0].id: item[0]
        for source in sources
        if source.kind == "jsonl"
        for item in read_jsonl(source, b"")
        if isinstance(item, tuple)
    }
    tasks = plan_build(sources, {}, [archive]).tasks
    records = [t for t in tasks if t.record.kind == "jsonl"]
    assert len(records) == len(direct) and all(not t.record.fields for t in records)
    loaded = list(load_records(tasks))
    assert [t.record.id for t in loaded] == [t.record.id for t in tasks]
    for task in loaded:
        if task.record.kind == "jsonl":
            assert task.record.fields == direct[task.record.id].fields
            assert task.record.location == direct[task.record.id].location
    # Some records only (the others unchanged), and an export read twice out of order.
    some = [t for t in records if (t.record.location.line or 0) % 3 == 0]
    again = list(load_records(some + some[:2]))
    assert all(t.record.fields == direct[t.record.id].fields for t in again)


def test_a_json_lines_record_gone_from_its_line_since_the_plan_is_a_failure(archive):
    sources, _ = discover([archive])
    tasks = plan_build(sources, {}, [archive]).tasks
    export = archive / "sub" / "news.jsonl"
    lines = export.read_bytes().splitlines(keepends=True)
    export.write_bytes(b"".join([lines[1], lines[0], *lines[2:]]))  # first two swapped
    loaded = {t.record.id: t for t in load_records(tasks)}
    first = next(t for t in tasks if t.record.kind == "jsonl")
    gone = extract_task(loaded[first.record.id])
    assert isinstance(gone, Failure) and "no longer holds record" in gone.reason
    assert gone.location == first.record.location
