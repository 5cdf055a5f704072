"""Index folders written by earlier versions open, are searched and are updated."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.build.schema import FORMER_MODULES
from search_app.engine.index_handle import IndexHandle, IndexUnavailable
from search_app.engine.search import ArchiveSearch
from search_app.results import SearchRequest

ROOT = Path(__file__).resolve().parent.parent
BEFORE_LAYOUT = ROOT / "tests" / "data" / "index-ad81b5e"
SEED = ROOT / "archive" / "003_1f8cfd56b29d262e.txt"

# Run in a new interpreter: nothing imported yet, as in a worker that starts on that index.
SEARCH = """
import sys
from pathlib import Path
from search_app.engine.index_handle import IndexHandle
from search_app.engine.search import ArchiveSearch
from search_app.results import SearchRequest

handle = IndexHandle(Path(sys.argv[1]))
page = ArchiveSearch(handle).search(SearchRequest(q=sys.argv[2]))
print(page.total, *(hit.id for hit in page.hits))
handle.close()
"""


def _search(folder: Path, q: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SEARCH, str(folder), q],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _pickled_modules(folder: Path) -> set[str]:
    """The modules of ours that the table of contents of an index names."""
    toc = max(folder.glob("_MAIN_*.toc")).read_bytes()
    return {m.decode() for m in re.findall(rb"(?<!\.)indexer(?:\.\w+)+", toc)}


def test_the_fixture_pickles_the_former_module_names():
    assert _pickled_modules(BEFORE_LAYOUT) == set(FORMER_MODULES)


def test_an_index_written_before_the_stage_layout_is_searched(tmp_path):
    folder = tmp_path / "ix"
    shutil.copytree(BEFORE_LAYOUT, folder)
    assert _search(folder, "bac kan nhiem vu 2021") == "1 003_1f8cfd56b29d262e.txt"


def test_an_index_written_before_the_stage_layout_is_updated(tmp_path):
    folder = tmp_path / "ix"
    shutil.copytree(BEFORE_LAYOUT, folder)
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SEED, archive / SEED.name)
    shutil.copy(ROOT / "archive" / "000_b31f338fe211c5e8.txt", archive)
    done = subprocess.run(
        [sys.executable, "-m", "indexer", str(archive), "--index", str(folder), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("indexed 2,"), done.stdout
    # The schema's modules as they are now, and the codec of the segment just written.
    current = {"indexer.text.analysis", "indexer.build.schema", "indexer.build.segment_writer"}
    assert _pickled_modules(folder) == current
    assert _search(folder, "bac kan").startswith("2 ")


@pytest.fixture
def lacking_classes(tmp_path) -> Path:
    """A copy of the fixture whose pickle names a class that no version has."""
    folder = tmp_path / "ix"
    shutil.copytree(BEFORE_LAYOUT, folder)
    toc = max(folder.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes().replace(b"indexer.schema\n", b"indexer.schemx\n"))
    return folder


# Whoosh's TOC.read leaves the file open when unpickling fails; the garbage collector warns.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_an_index_naming_classes_this_version_lacks_is_unavailable_not_an_error(
    lacking_classes,
):
    handle = IndexHandle(lacking_classes)
    with pytest.raises(IndexUnavailable, match="cannot be opened"):
        ArchiveSearch(handle).search(SearchRequest(q="bac kan"))
    gc.collect()  # here, where the warning about Whoosh's open file is ignored


def test_a_build_on_an_index_naming_classes_this_version_lacks_stops_with_a_message(
    lacking_classes,
):
    done = subprocess.run(
        [sys.executable, "-m", "indexer", str(SEED), "--index", str(lacking_classes)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert "error: the index in" in done.stderr and "move it away" in done.stderr
    assert "Traceback" not in done.stderr
