"""Memory of a process as Linux accounts it, from ``/proc/PID/smaps_rollup``."""

from __future__ import annotations

import os


def smaps_rollup(pid: int) -> dict[str, int]:
    """Each field of the process's memory rollup in bytes (``Pss``, ``Pss_Anon``,
    ``Private_Dirty``, ...): a page shared by n processes counts 1/n in ``Pss``. Raises
    OSError when the process is gone."""
    found = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, value = line.partition(":")
            parts = value.split()
            if len(parts) == 2 and parts[1] == "kB":
                found[name] = int(parts[0]) * 1024
    return found


# Whether the kernel lists each thread's children (CONFIG_PROC_CHILDREN).
_CHILDREN_FILES = os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def _children_by_scan() -> dict[int, list[int]]:
    """Every process's children, from each ``/proc/PID/stat``."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _children_of(pid: int) -> list[int]:
    """A process's children, from its threads' ``children`` files (none if it is gone)."""
    found: list[int] = []
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/children") as children:
                found += map(int, children.read().split())
    except OSError:  # the process, or one of its threads, ended meanwhile
        pass
    return found


def descendants(pid: int) -> list[int]:
    """A process and all its descendants, read from the process's own ``children`` files
    where the kernel has them: a memory sampler that scanned all of ``/proc`` four times a
    second took a share of a core from the build it measured."""
    tree = None if _CHILDREN_FILES else _children_by_scan()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children_of(current) if tree is None else tree.get(current, [])
    return found


def rss(pid: int) -> int:
    """Resident memory of one process in bytes (pages shared with others counted whole);
    0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0
