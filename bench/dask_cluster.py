"""A Dask cluster on this machine for the benchmarks: ``dask scheduler`` and ``dask worker``
processes on 127.0.0.1, started with Dask's own command line as on a real cluster."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LocalDask:
    """The scheduler's address and the pids of the scheduler and workers."""

    address: str
    pids: list[int]


def _dask(arguments: list[str], scheduler_file: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *arguments, "--scheduler-file", str(scheduler_file),
         "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(scheduler_file: Path, workers: int) -> str:
    from distributed import Client

    deadline = time.monotonic() + 60
    while not (scheduler_file.exists() and scheduler_file.stat().st_size):
        if time.monotonic() > deadline:
            raise SystemExit("the Dask scheduler did not start")
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=60)
    return address


@contextmanager
def local_dask(workers: int) -> Iterator[LocalDask]:
    """A scheduler and ``workers`` single-threaded worker processes, ended on exit."""
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as folder:
        scheduler_file = Path(folder) / "scheduler.json"
        processes = [_dask(["scheduler", "--host", "127.0.0.1", "--port", "0"], scheduler_file)]
        try:
            worker = ["worker", "--nthreads", "1", "--host", "127.0.0.1", "--no-nanny"]
            processes += [_dask(worker, scheduler_file) for _ in range(workers)]
            address = _wait_for(scheduler_file, workers)
            yield LocalDask(address, [p.pid for p in processes])
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # a worker's graceful close can linger
                    process.kill()
                    process.wait()
