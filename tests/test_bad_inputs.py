"""Hostile inputs (tests/data/bad/ and some made here): reported with a reason, or indexed.

Every good file beside them is indexed. What can be read despite its flaws is indexed, with
its text right; what cannot is reported with its path and a clear reason. See
tests/data/bad/README.md for what each file is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index

from indexer.build import builder as build_module
from indexer.build.builder import build_index
from indexer.inputs.limits import LIMITS
from tests.data.make_bad import (
    DANGLING_LINK,
    HUGE_PAGE,
    LINK_LOOPS,
    LONG_LINES,
    write_large_inputs,
    write_link_traps,
)

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "archive" / "003_1f8cfd56b29d262e.txt"

# Inputs that are indexed, and a title (or part of one) each must have.
INDEXED = {
    "truncated.html": "Bắc Kạn triển khai chuyển đổi số năm 2021",
    "windows-1258.txt": "Lạng Sơn họp bàn an toàn thông tin",
    "utf-16-bom.txt": "Cần Thơ phát triển bưu chính công ích",
    "utf-16le-no-bom.txt": "Đà Nẵng ra mắt tổ công nghệ số",
    "utf-16be-no-bom.txt": "Hòa Bình lắp đặt truyền thanh thông minh",
    "mixed-nfd.txt": "Nghệ An trao giải báo chí",
    "nul-bytes.html": "Bắc Kạn triển khai chuyển đổi số năm 2021",
    "deeply-nested.html": "Tiền Giang quy hoạch tần số",
    "one-huge-word.txt": "Quảng Ninh diễn tập an toàn thông tin",
    "control-characters.txt": "Yên Bái số hóa[31m hồ sơ",  # only the control characters go
    "script-in-title.html": "<script>alert(1)</script> Lào Cai cảnh báo lừa đảo",
    "sidecar-wrong-types.txt": "Thái Nguyên cấp chữ ký số",
    "sidecar-not-json.txt": "Bắc Giang chuyển đổi số nông nghiệp",
    "bad-a1": "Bài bad-a1 về chuyển đổi số",
    "bad-a2": "Bài bad-a2 về chuyển đổi số",
    "bad-a4": "Bài bad-a4 về chuyển đổi số",
    "bad-a5": "Bài bad-a5 về chuyển đổi số",
    "bad-b1": "Bài bad-b1 về chuyển đổi số",  # the first of two records with this id
    "12345": "Bài 12345 về chuyển đổi số",  # a number as id
    "bad-c1": "Bài bad-c1 về chuyển đổi số",
    "bad-c3": "Bài bad-c3 về chuyển đổi số",
    "bad-d1": "Bài bad-d1 về chuyển đổi số",  # before the truncation of the gzip stream
}
# Inputs reported, and a word of the reason each must give.
FAILED = {
    "empty.txt": "empty",
    "whitespace-only.txt": "empty",
    "binary-junk.html": "binary",
    "report-renamed.html": "PDF",
    "no-body-text.html": "no article text found",
    "title-only.html": "no article text found",
    "export-malformed-middle.jsonl:3": "malformed JSON",
    "export-malformed-middle.jsonl:6": "JSON object",
    "export-no-id-and-duplicate.jsonl:2": "no id",
    "export-no-id-and-duplicate.jsonl:3": "duplicate id 'bad-b1' (first at line 1",
    "export-no-id-and-duplicate.jsonl:4": "no id",
    "export-wrong-types.jsonl:2": "no article text found",
    "export-not-gzip.jsonl.gz:1": "gzip",
    "export-truncated.jsonl.gz": "ended before",
}


def stored(index_dir: Path) -> dict[str, dict]:
    with index.open_dir(str(index_dir)).searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.all_stored_fields()}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    """One build of the bad set beside a good page."""
    folder = tmp_path_factory.mktemp("bad") / "archive"
    shutil.copytree(BAD, folder)
    shutil.copy(GOOD, folder / "good.txt")
    target = folder.parent / "ix"
    report = build_index([folder], target, jobs=2)
    return report, stored(target)


def test_the_set_is_big_enough():
    assert len([p for p in BAD.iterdir() if p.suffix != ".md"]) >= 20


def test_good_and_readable_inputs_are_indexed(bad_build):
    _, docs = bad_build
    assert "good.txt" in docs
    for doc_id, title in INDEXED.items():
        assert doc_id in docs, doc_id
        assert title in docs[doc_id]["title"], (doc_id, docs[doc_id]["title"])


def test_unreadable_inputs_are_reported_with_path_and_reason(bad_build):
    report, _ = bad_build
    reasons = {str(f.location).rsplit("/", 1)[-1]: f.reason for f in report.failures}
    for location, words in FAILED.items():
        matching = [r for loc, r in reasons.items() if loc.startswith(location)]
        assert matching, (location, reasons)
        assert words in matching[0], (location, matching[0])
        assert location.split(":")[0] not in matching[0]  # the path is said once, not twice
    assert len(reasons) == len(FAILED)


def test_decoded_text_is_right(bad_build):
    _, docs = bad_build
    for doc_id in ("windows-1258.txt", "utf-16le-no-bom.txt", "mixed-nfd.txt", "nul-bytes.html"):
        body = docs[doc_id]["body"]
        assert "Quyết định số 570/QĐ-UBND" in body and "Ủy ban nhân dân" in body, doc_id
        assert "\x00" not in body
    assert "\x07" not in docs["control-characters.txt"]["title"]


def test_truncated_html_keeps_its_readable_text(bad_build):
    _, docs = bad_build
    assert "Các đại biểu đã thảo luận" in docs["truncated.html"]["body"]


def test_huge_page_and_huge_lines_are_indexed_in_part(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    write_large_inputs(folder, GOOD)
    shutil.copy(GOOD, folder / "good.txt")
    report = build_index([folder], tmp_path / "ix", jobs=2)
    assert report.failed == 0, report.failures
    docs = stored(tmp_path / "ix")
    assert set(docs) == {HUGE_PAGE, LONG_LINES, "good.txt"}
    limit = LIMITS.text_chars
    assert len(docs[HUGE_PAGE]["body"]) <= limit < (folder / HUGE_PAGE).stat().st_size
    assert len(docs[LONG_LINES]["body"]) <= limit
    assert docs[HUGE_PAGE]["title"] == "Trang rất lớn"


def test_symlink_loops_and_dangling_links_are_reported(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    write_link_traps(folder)  # the folder loop is not followed
    report = build_index([folder], tmp_path / "ix", jobs=1)
    reasons = {str(f.location).rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert set(reasons) == {*LINK_LOOPS, DANGLING_LINK}
    assert "symbolic links" in reasons[LINK_LOOPS[0]]
    assert set(stored(tmp_path / "ix")) == {"good.txt"}


def test_a_file_that_disappears_during_the_build_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    shutil.copy(GOOD, folder / "vanishing.txt")
    discover = build_module.discover

    def discover_then_delete(paths):
        found = discover(paths)
        (folder / "vanishing.txt").unlink()  # after the walk, before the read
        return found

    monkeypatch.setattr(build_module, "discover", discover_then_delete)
    report = build_index([folder], tmp_path / "ix", jobs=1)
    reasons = {str(f.location).rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert list(reasons) == ["vanishing.txt"]
    assert "No such file" in reasons["vanishing.txt"]
    assert set(stored(tmp_path / "ix")) == {"good.txt"}


def test_unreadable_files_are_reported(tmp_path):
    """Root reads any file: as root, the build runs without the capabilities that allow it
    (setpriv, from util-linux)."""
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    shutil.copy(GOOD, folder / "secret.txt")
    (folder / "secret.txt").chmod(0)
    (folder / "closed").mkdir()
    shutil.copy(GOOD, folder / "closed" / "inside.txt")
    (folder / "closed").chmod(0)
    command = [sys.executable, "-m", "indexer", str(folder), "--index", str(tmp_path / "ix")]
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", "--bounding-set", drop, "--inh-caps", drop, "--", *command]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
        )
    finally:
        (folder / "closed").chmod(0o755)  # so that pytest can clean up
    assert done.returncode == 0, done.stderr
    assert "secret.txt: Permission denied" in done.stderr
    assert "closed: Permission denied" in done.stderr
    assert done.stdout.startswith("indexed 1,")
