"""Memory of a process as Linux accounts it, from ``/proc/PID/smaps_rollup``."""

from __future__ import annotations


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
