"""The build on a Dask cluster (issue 16): a real scheduler and real worker processes on
127.0.0.1, started with Dask's own command line, build the fixture archive; the index answers
exactly like the local build's, also when a worker is SIGKILLed mid-build. A scheduler that
cannot be reached, workers without this project and a cluster whose workers all die each stop
the build with one line and the previous index intact.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from whoosh import index

from indexer.build import cluster as cluster_module
from indexer.build.builder import build_index
from indexer.build.cli import main
from indexer.build.cluster import ClusterError
from indexer.text.segment_cache import cache_file
from search_app.engine.index_handle import IndexHandle
from search_app.engine.search import ArchiveSearch
from search_app.results import SearchRequest

distributed = pytest.importorskip("distributed")

QUERIES = [
    SearchRequest(),
    SearchRequest(q="chuyển đổi số"),
    SearchRequest(q="thông tin truyền thông"),
    SearchRequest(q="bac kan"),
    SearchRequest(q="chính quyền điện tử", sort="newest"),
    SearchRequest(q="tỉnh", province=("Bắc Kạn",)),
]


class Cluster:
    """A ``dask scheduler`` and its ``dask worker`` processes, each a process of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        self._start(["scheduler", "--host", "127.0.0.1", "--port", "0"])
        self.address = self._wait_for_file()

    def _start(self, arguments: list[str], python: list[str] | None = None, env=None):
        command = [*(python or [sys.executable]), "-m", "dask", *arguments]
        command += ["--scheduler-file", str(self.file), "--no-dashboard"]
        with (self.folder / f"{len(self.processes)}.log").open("wb") as log:
            process = subprocess.Popen(
                command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, env=env
            )
        self.processes.append(process)
        return process

    def _wait_for_file(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.file.exists() and self.file.stat().st_size:
                return json.loads(self.file.read_text())["address"]
            time.sleep(0.1)
        raise RuntimeError("the scheduler did not start")

    def add_worker(self, python: list[str] | None = None, env=None) -> subprocess.Popen:
        """A worker process without a nanny: its pid is the worker's, a kill is final."""
        arguments = ["worker", "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"]
        return self._start(arguments, python, env)

    def wait_for_workers(self, count: int) -> None:
        with distributed.Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=60)

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        for _ in range(2):
            running.add_worker()
        running.wait_for_workers(2)
        yield running
    finally:
        running.close()


def answers(index_dir: Path) -> dict:
    """Everything a reader sees: stored fields by id, and whole pages of several searches."""
    ix = index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        stored = {fields["id"]: fields for fields in searcher.all_stored_fields()}
    ix.close()
    handle = IndexHandle(index_dir)
    try:
        search = ArchiveSearch(handle)
        pages = [search.search(request).to_json() for request in QUERIES]
    finally:
        handle.close()
    return {"stored": stored, "pages": pages}


def kill_a_busy_worker(address: str, stop: threading.Event) -> int | None:
    """SIGKILL the first worker seen running a task of the build; its pid."""
    with distributed.Client(address, timeout=30, set_as_default=False) as client:
        pids = client.run(os.getpid)
        while not stop.is_set():
            busy = [worker for worker, keys in client.processing().items() if keys]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                return pids[busy[0]]
            time.sleep(0.01)
    return None


def build_while_killing(archive: Path, target: Path, address: str, rebuild: bool = False):
    """Build on the cluster, killing a worker as soon as one runs a task."""
    outcome: dict = {}

    def build() -> None:
        try:
            outcome["report"] = build_index([archive], target, rebuild, scheduler=address)
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=build)
    stop = threading.Event()
    thread.start()
    try:
        killed = kill_a_busy_worker(address, stop)
    finally:
        stop.set()
        thread.join(timeout=120)
    return outcome, killed


def test_a_cluster_build_answers_like_the_local_build(
    cluster, fixture_archive, index_dir, tmp_path
):
    report = build_index([fixture_archive], tmp_path / "ix", scheduler=cluster.address)
    assert report.failed == 0, report.failures
    assert report.indexed == len(answers(index_dir)["stored"])
    assert answers(tmp_path / "ix") == answers(index_dir)
    again = build_index([fixture_archive], tmp_path / "ix", scheduler=cluster.address)
    assert (again.indexed, again.unchanged) == (0, report.indexed)


def test_a_cluster_build_fills_the_segmentation_cache(cluster, fixture_archive, tmp_path):
    """The workers' words come back to the index machine's cache: a local rebuild after a
    cluster build segments nothing anew and makes the same index."""
    build_index([fixture_archive], tmp_path / "ix", scheduler=cluster.address)
    with closing(sqlite3.connect(cache_file(tmp_path / "ix"))) as connection:
        filled = connection.execute("SELECT count(*) FROM words").fetchone()[0]
    assert filled > 100
    before = answers(tmp_path / "ix")
    build_index([fixture_archive], tmp_path / "ix", rebuild=True, jobs=2)
    with closing(sqlite3.connect(cache_file(tmp_path / "ix"))) as connection:
        count, generation = connection.execute("SELECT count(*), max(used) FROM words").fetchone()
        used = connection.execute("SELECT count(*) FROM words WHERE used = ?", (generation,))
        assert (count, used.fetchone()[0]) == (filled, filled)  # all read, none made
    assert answers(tmp_path / "ix") == before


def test_a_cluster_rebuild_reads_its_words_from_the_cache(cluster, fixture_archive, tmp_path):
    """The index machine looks each chunk's paragraphs up for the workers, which cannot read
    the cache: a second cluster build with ``--rebuild`` uses every entry and makes none."""
    build_index([fixture_archive], tmp_path / "ix", scheduler=cluster.address)
    before = answers(tmp_path / "ix")
    with closing(sqlite3.connect(cache_file(tmp_path / "ix"))) as connection:
        filled = connection.execute("SELECT count(*) FROM words").fetchone()[0]
    assert filled > 100
    report = build_index(
        [fixture_archive], tmp_path / "ix", rebuild=True, scheduler=cluster.address
    )
    assert report.failed == 0
    with closing(sqlite3.connect(cache_file(tmp_path / "ix"))) as connection:
        count, generation = connection.execute("SELECT count(*), max(used) FROM words").fetchone()
        used = connection.execute("SELECT count(*) FROM words WHERE used = ?", (generation,))
        assert (count, used.fetchone()[0]) == (filled, filled)  # all read, none made
        assert generation == 2
    assert answers(tmp_path / "ix") == before


def test_a_worker_killed_mid_build_costs_only_its_tasks(
    cluster, fixture_archive, index_dir, tmp_path
):
    outcome, killed = build_while_killing(fixture_archive, tmp_path / "ix", cluster.address)
    cluster.add_worker()  # for the tests after this one
    assert killed is not None, "no worker was seen running a task"
    assert "error" not in outcome, outcome
    assert outcome["report"].failed == 0
    assert answers(tmp_path / "ix") == answers(index_dir)
    cluster.wait_for_workers(2)


def test_an_unreachable_scheduler_fails_at_once(fixture_archive, tmp_path, capsys):
    status = main([str(fixture_archive), "--index", str(tmp_path / "ix"), "--scheduler",
                   "tcp://127.0.0.1:9"])  # fmt: skip
    error = capsys.readouterr().err
    assert status == 1
    assert (
        error.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in error
    )
    assert "refused" in error  # the refusal itself, not a timeout after Dask's retries


def test_a_machine_without_dask_says_what_to_install(fixture_archive, tmp_path):
    script = (
        "import sys; sys.modules['distributed'] = None\n"  # an interpreter without the package
        "from indexer.build.cli import main\n"
        f"sys.exit(main([{str(fixture_archive)!r}, '--index', {str(tmp_path / 'ix')!r},"
        " '--scheduler', 'tcp://127.0.0.1:9']))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "needs Dask's 'distributed' package" in done.stderr


def test_workers_without_the_project_are_named(cluster, fixture_archive, tmp_path):
    # The venv's packages on the path but not as a site folder: Dask, underthesea and Whoosh
    # import, the project's editable install (a .pth hook) does not.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    bare = cluster.add_worker([sys._base_executable, "-S"], env)
    try:
        cluster.wait_for_workers(3)
        with pytest.raises(ClusterError, match=r"lacks 'indexer'") as raised:
            build_index([fixture_archive], tmp_path / "ix", scheduler=cluster.address)
        assert "pip install" in str(raised.value)
        assert not index.exists_in(str(tmp_path / "ix"))
    finally:
        bare.terminate()
        bare.wait(timeout=10)


def test_a_cluster_without_workers_stops_the_build_and_keeps_the_index(
    fixture_archive, index_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(cluster_module, "WORKER_GRACE", 1.0)
    target = tmp_path / "ix"
    shutil.copytree(index_dir, target)
    before = sorted(p.name for p in target.glob("_MAIN_*.toc"))
    lonely = Cluster(tmp_path / "dask")
    try:
        lonely.add_worker()
        lonely.wait_for_workers(1)
        outcome, killed = build_while_killing(fixture_archive, target, lonely.address, True)
    finally:
        lonely.close()
    assert killed is not None
    assert isinstance(outcome.get("error"), ClusterError), outcome
    assert "no Dask worker left" in str(outcome["error"])
    assert sorted(p.name for p in target.glob("_MAIN_*.toc")) == before
    assert answers(target) == answers(index_dir)


def test_a_scheduler_that_dies_mid_build_stops_it_with_one_line_and_keeps_the_index(
    fixture_archive, index_dir, tmp_path
):
    target = tmp_path / "ix"
    shutil.copytree(index_dir, target)
    before = sorted(p.name for p in target.glob("_MAIN_*.toc"))
    doomed = Cluster(tmp_path / "dask")
    outcome: dict = {}

    def build() -> None:
        try:
            outcome["report"] = build_index(
                [fixture_archive], target, True, scheduler=doomed.address
            )
        except Exception as error:
            outcome["error"] = error

    try:
        doomed.add_worker()
        doomed.wait_for_workers(1)
        thread = threading.Thread(target=build)
        thread.start()
        with distributed.Client(doomed.address, timeout=30, set_as_default=False) as client:
            deadline = time.monotonic() + 60
            while not any(client.processing().values()) and time.monotonic() < deadline:
                time.sleep(0.01)
        doomed.processes[0].kill()  # the scheduler, SIGKILL, while a chunk runs
        thread.join(timeout=180)
        assert not thread.is_alive(), "the build hangs once its scheduler is gone"
    finally:
        doomed.close()
    assert isinstance(outcome.get("error"), ClusterError), outcome
    message = str(outcome["error"])
    assert "scheduler" in message and doomed.address in message and "\n" not in message
    assert sorted(p.name for p in target.glob("_MAIN_*.toc")) == before
    assert answers(target) == answers(index_dir)
