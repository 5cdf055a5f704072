"""Servers on 127.0.0.1 and the load that drives them: wrk, or a bounded Python client.

Every server is a child process of the benchmark, started in its own session and stopped by
its id when the run ends. Load goes only to 127.0.0.1, for a fixed number of seconds.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.procmem import descendants, rss

log = logging.getLogger("bench")

HOST = "127.0.0.1"
WRK_THREADS = 1  # one C thread drives thousands of requests/s; leave the cores to the servers
WRK_TIMEOUT = "30s"  # wrk's default (2 s) would count slow answers as errors
READY_SECONDS = 300
SPOT_URLS = 100


@dataclass
class Server:
    """A server command line (with ``{port}``) and how to tell it is ready."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    ready_path: str
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @contextmanager
    def running(self) -> Iterator[Server]:
        """Start the server on a free port, wait until it answers, stop it afterwards."""
        self.port = free_port()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        with tempfile.TemporaryFile("w+") as output:
            log.info("starting %s on port %d", self.name, self.port)
            self.process = subprocess.Popen(
                command,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                self._wait_ready(output)
                yield self
            finally:
                self.stop()

    def _wait_ready(self, output) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output.seek(0)
                raise RuntimeError(f"{self.name} exited:\n{output.read()[-2000:]}")
            try:
                status, _body, _s = _get(self.port, self.ready_path, timeout=60)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {READY_SECONDS} s")

    def stop(self) -> None:
        """Stop the server (its whole session when it does not end)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session we started for it
            self.process.wait()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


# --- memory ---------------------------------------------------------------------------------


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    return sum(map(rss, descendants(pid)))


class RssSampler(threading.Thread):
    """Samples a process tree's memory every half second; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(0.5)

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop_event.set()
        self.join()
        return max(self.peak, tree_rss(self.pid))


# --- load -----------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What one server did under load."""

    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    connect: int = 0
    read: int = 0
    write: int = 0
    timeout: int = 0
    max_rss_mib: float = 0.0

    @property
    def rps(self) -> float:
        """Requests per second (all answers, errors included, as wrk counts them)."""
        return self.requests / self.seconds if self.seconds else 0.0


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _wrk(port: int, script: Path, connections: int, seconds: float) -> dict:
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", WRK_TIMEOUT, "-s", str(script), f"http://{HOST}:{port}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    match = re.search(r"^WRKJSON (.*)$", done.stdout, re.M)
    if not match:
        raise RuntimeError(f"no result from wrk:\n{done.stdout}\n{done.stderr}")
    return json.loads(match.group(1))


def wrk_load(server: Server, urls: list[str], connections: int, seconds: float) -> LoadResult:
    """Drive the server with wrk, cycling through the URLs."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "mix.lua"
        script.write_text(_WRK_SCRIPT % ",\n".join(json.dumps(u) for u in urls))
        data = _wrk(server.port, script, connections, seconds)
    return LoadResult(
        server.name, data["requests"], data["duration_us"] / 1e6, data["p50"] / 1000,
        data["p99"] / 1000, data["status"], data["connect"], data["read"], data["write"],
        data["timeout"],
    )  # fmt: skip


def python_load(server: Server, urls: list[str], connections: int, seconds: float) -> LoadResult:
    """Drive the server with keep-alive connections in threads, for ``seconds``."""
    lock, cursor = threading.Lock(), [0]
    latencies: list[float] = []
    counts = {"requests": 0, "non_2xx": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def next_url() -> str:
        with lock:
            cursor[0] = (cursor[0] + 1) % len(urls)
            return urls[cursor[0]]

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", next_url())
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 300
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = None
            with lock:
                counts["requests"] += 1
                if ok is None:
                    counts["errors"] += 1
                else:
                    counts["non_2xx"] += not ok
                    latencies.append(time.perf_counter() - started)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = np.asarray(latencies or [float("nan")]) * 1000
    return LoadResult(
        server.name, counts["requests"], time.monotonic() - started,
        float(np.percentile(ms, 50)), float(np.percentile(ms, 99)), counts["non_2xx"],
        read=counts["errors"],
    )  # fmt: skip


def run_load(server: Server, urls: list[str], args, client: str) -> LoadResult:
    """Warm the server up, then measure it under load while sampling its memory."""
    drive = wrk_load if client == "wrk" else python_load
    if args.warmup_seconds > 0:
        log.info("%s: warm-up, %g s", server.name, args.warmup_seconds)
        drive(server, urls, args.connections, args.warmup_seconds)
    log.info("%s: %d connections for %g s ...", server.name, args.connections, args.seconds)
    sampler = RssSampler(server.process.pid)
    sampler.start()
    try:
        result = drive(server, urls, args.connections, args.seconds)
    finally:
        peak = sampler.stop()
    result.max_rss_mib = peak / 2**20
    log.info("%s: %.1f requests/s, p50 %.1f ms, p99 %.1f ms", server.name, result.rps,
             result.p50_ms, result.p99_ms)  # fmt: skip
    return result


def spot_check(server: Server, urls: list[str], limit: int = SPOT_URLS) -> dict:
    """Request up to ``limit`` URLs (spread over the mix) once each over one connection."""
    step = max(1, len(urls) // limit)
    chosen = urls[::step][:limit]
    non_200, timeouts, seconds = 0, 0, []
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    for url in chosen:
        started = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        body = response.read()
        seconds.append(time.perf_counter() - started)
        if response.will_close:
            connection.close()
        if response.status != 200:
            non_200 += 1
            log.warning("%s: %s -> %d %s", server.name, url[:120], response.status, body[:200])
            continue
        if json.loads(body).get("facets_timed_out"):
            timeouts += 1
    connection.close()
    ms = np.asarray(seconds) * 1000
    return {
        "name": server.name,
        "urls": len(chosen),
        "non_200": non_200,
        "facet_timeouts": timeouts,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
    }
