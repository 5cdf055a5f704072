"""The build's extraction, segmentation and segment writing as tasks on a Dask cluster.

The machine holding the index plans the build and holds its lock, as a local build does. Each
task (``indexer.build.remote.index_chunk``) indexes a chunk of records into a segment on a
worker and returns the segment's files; they are written into the index folder under a name
chosen here, and committed with the existing segments in one TOC by the caller. Until that
commit nothing is visible, and files of a build that died are orphans the next commit removes.
Dask runs a task again when its worker dies; a task that keeps failing, or a cluster left
without workers, stops the build with one line and the previous index as it was.
"""

from __future__ import annotations

import itertools
import logging
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.filedb.filestore import FileStorage

from indexer.build.parallel import ChunkDone, WorkerError
from indexer.inputs.loading import load_record, load_records
from indexer.inputs.sources import SourceError
from indexer.records import Failure, RecordTask

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler
WORKER_GRACE = 30.0  # seconds the cluster may have no worker (e.g. while they restart)
RETRIES = 2  # further tries of a task that raised
CHUNK_RANGE = (16, 1024)  # records per task: each task is one segment in the index
TASKS_PER_THREAD = 4  # chunks per worker thread, for an even finish; also the in-flight window

# Run on every worker before the build, by value: it must not need this project to unpickle.
_PROBE_SOURCE = '''
def probe():
    """What this worker lacks of the project, or the versions it has."""
    try:
        from indexer.build.remote import worker_versions
    except ImportError as error:
        return {"missing": getattr(error, "name", None) or str(error), "error": str(error)}
    return worker_versions()
'''


class ClusterError(WorkerError):
    """The Dask cluster cannot run the build; the index is left as it was."""


def _probe() -> Callable[[], dict[str, str]]:
    namespace: dict = {"__name__": "indexer_cluster_probe"}  # not importable: sent by value
    exec(_PROBE_SOURCE, namespace)
    return namespace["probe"]


def _check_reachable(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// address (Dask would retry until timeout)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address, strict=True)
        if scheme != "tcp":
            return
        host, port = parse_host_port(location)
    except ValueError as error:
        raise ClusterError(f"not a Dask scheduler address: {address} ({error})") from error
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason}") from error


def check_workers(client: Client, address: str) -> None:
    """Raise ClusterError naming the first worker that lacks the project or runs other versions."""
    from indexer.build.remote import worker_versions

    ours = worker_versions()
    answers = client.run(_probe(), on_error="return")
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise ClusterError(f"the Dask worker {worker} could not run a check: {answer!r}")
        if "missing" in answer:
            raise ClusterError(
                f"the Dask worker {worker} lacks {answer['missing']!r} ({answer['error']}): "
                "install this project on every worker (pip install -c constraints.txt .)"
            )
        for name, value in ours.items():
            if answer.get(name) != value:
                raise ClusterError(
                    f"the Dask worker {worker} has {name} {answer.get(name)}, this machine "
                    f"{value}: install the same version of this project on every worker"
                )


@contextmanager
def open_cluster(address: str | None) -> Iterator[Client | None]:
    """A client of the scheduler at ``address`` whose workers can build (None: no cluster)."""
    if address is None:
        yield None
        return
    try:
        import distributed  # noqa: F401  (only a build on a cluster needs it)
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask's 'distributed' package on this machine: "
            "pip install -c constraints.txt 'distributed==2026.8.0' (the test extra has it)"
        ) from None
    _check_reachable(address)
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as error:  # whatever answers there may not speak Dask's protocol at all
        raise ClusterError(
            f"cannot connect to the Dask scheduler at {address}: {type(error).__name__}: {error}"
        ) from error
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_GRACE)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers (waited {WORKER_GRACE:.0f} s)"
            ) from None
        check_workers(client, address)
        yield client
    finally:
        client.close()


def _ship(task: RecordTask) -> RecordTask | Failure:
    """The task with its record's content read here: workers need no access to our files."""
    record = task.record
    try:
        return replace(task, record=load_record(record))
    except SourceError as error:
        return Failure(record.location, str(error).removeprefix(f"{record.location}: "))


def chunk_size(tasks: int, threads: int) -> int:
    """Records per task: a few tasks per worker thread, within ``CHUNK_RANGE``."""
    low, high = CHUNK_RANGE
    return max(low, min(high, -(-tasks // max(1, threads * TASKS_PER_THREAD))))


def _store(storage: FileStorage, result) -> object:
    """Write a returned segment's files into the index folder under a fresh segment id."""
    segment = result.segment
    taken = set(storage.list())
    while any(name.startswith(segment.segment_id() + ".") for name in taken):
        segment.segid = segment._random_id()  # ids are random; never overwrite a file
    for suffix, data in result.files.items():
        with storage.create_file(segment.segment_id() + suffix) as stream:
            stream.write(data)
    return segment


def _failed(future: Future) -> ClusterError:
    error = future.exception()
    if type(error).__name__ == "KilledWorker":
        return ClusterError(f"every worker that ran a chunk of records died ({error})")
    first = str(error).splitlines()[0] if str(error) else ""
    return ClusterError(f"a chunk of records failed on every try: {type(error).__name__}: {first}")


def _lost(client: Client) -> ClusterError:
    """The build's error when the scheduler is gone (Dask cancels every future then)."""
    return ClusterError(
        f"lost the Dask scheduler at {client.scheduler.address}: the build cannot finish"
    )


def _check_alive(client: Client, since: list[float], grace: float) -> None:
    """Raise when the cluster has had no worker for ``grace`` seconds."""
    if client.scheduler_info(n_workers=-1)["workers"]:
        since[0] = time.monotonic()
    elif time.monotonic() - since[0] > grace:
        raise ClusterError(f"no Dask worker left for {grace:.0f} s: the build cannot finish")


def index_on_cluster(
    client: Client,
    index_dir: Path,
    tasks: list[RecordTask],
    on_chunk: Callable[[ChunkDone], None],
    collect_words: bool = False,
    known_words: Callable[[list[RecordTask]], dict[str, list[str]]] | None = None,
) -> list:
    """Index ``tasks`` on the cluster; returns the new segments, their files in ``index_dir``
    (with ``collect_words``, each chunk's report brings its segmentation cache entries;
    ``known_words`` gives each chunk the cached words of its paragraphs)."""
    from distributed import wait

    from indexer.build.remote import index_chunk

    threads = sum(client.nthreads().values())
    size = chunk_size(len(tasks), threads)
    window = max(2, threads * 2)
    numbers = iter(range(0, len(tasks), size))
    storage = FileStorage(str(index_dir))
    pending: set = set()
    received: set[int] = set()
    segments: list = []
    alive = [time.monotonic()]

    loaded = load_records(tasks)  # JSON Lines records read again, one pass per export

    def submit() -> bool:
        start = next(numbers, None)
        if start is None:
            return False
        shipped = [_ship(task) for task in itertools.islice(loaded, size)]
        if failures := [item for item in shipped if isinstance(item, Failure)]:
            on_chunk(ChunkDone(failures=failures))
        chunk = [item for item in shipped if not isinstance(item, Failure)]
        words = known_words(chunk) if known_words is not None else None
        key = f"index-chunk-{start}-{time.time_ns()}"
        future = client.submit(
            index_chunk, start, chunk, collect_words, words, key=key, retries=RETRIES
        )
        pending.add(future)
        return True

    try:
        while len(pending) < window and submit():
            pass
        while pending:
            try:
                with client.as_current():  # wait() uses the current client
                    finished = wait(pending, timeout=1.0, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                _check_alive(client, alive, WORKER_GRACE)
                continue
            except Exception as error:  # the scheduler gone: Dask cancels every future
                if client.status == "running":
                    raise
                raise _lost(client) from error
            for future in finished:
                pending.discard(future)
                if future.status == "cancelled":
                    raise _lost(client)
                if future.status != "finished":
                    raise _failed(future)
                result = future.result()
                future.release()
                if result.number in received:  # an answer seen already must not count twice
                    continue
                received.add(result.number)
                if result.segment is not None:
                    segments.append(_store(storage, result))
                on_chunk(result.done)
                submit()
    finally:
        if pending:
            client.cancel(list(pending))
    return segments
