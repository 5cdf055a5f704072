"""Numbers to Markdown: percentiles, ratios, tables and the run header of a section.

The section writer and the machine line are ``bench.sections``' (shared with bench/build.py).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys

import numpy as np

from bench.corpus import ROOT
from bench.sections import machine_summary, write_section

DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
__all__ = ["DEFAULT_OUT", "fmt", "percentiles", "ratio", "run_header", "table", "write_section"]


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50, p95, p99, mean and max of durations, in milliseconds."""
    if not seconds:
        return {k: float("nan") for k in ("p50", "p95", "p99", "mean", "max")}
    ms = np.asarray(seconds) * 1000.0
    return {
        "p50": float(np.percentile(ms, 50)),
        "p95": float(np.percentile(ms, 95)),
        "p99": float(np.percentile(ms, 99)),
        "mean": float(ms.mean()),
        "max": float(ms.max()),
    }


def fmt(value: float, digits: int = 1) -> str:
    """A number for a table; '–' when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def ratio(ours: float, theirs: float) -> str:
    """ours / theirs as '2.5×'."""
    if not theirs or np.isnan(theirs) or np.isnan(ours):
        return "–"
    return f"{ours / theirs:.2f}×"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (first column left-aligned, the others right-aligned)."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def engine_version() -> str:
    """The commit of the engine measured, '+ local changes' when indexer/ or search_app/ differ.

    ``BENCH_ENGINE`` overrides it (for a copy of the code outside a git work tree).
    """
    if os.environ.get("BENCH_ENGINE"):
        return os.environ["BENCH_ENGINE"]
    git = ["git", "-C", str(ROOT)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "indexer", "search_app"])
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git work tree)"
    return commit + (" + local changes" if dirty.returncode else "")


def run_header() -> str:
    """The machine, the date, the engine's commit and the exact command, to head a section."""
    command = "python " + " ".join(shlex.quote(arg) for arg in sys.argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"- {machine_summary()} SQLite {sqlite3.sqlite_version}. Load average at the start: "
        f"{load} (other work on the machine makes the numbers noisier).\n"
        f"- Engine: {engine_version()}\n- Command: `{command}`\n"
    )
