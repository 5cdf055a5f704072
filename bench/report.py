"""Numbers to Markdown: percentiles, tables, the machine, and sections of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
import re
import shlex
import sys
from pathlib import Path

import numpy as np

from bench.corpus import ROOT

DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
INTRO = """# Benchmarks

Numbers measured by the scripts in `bench/` (see each section for the exact command). Each
script rewrites only its own sections, so sections may come from different runs and machines:
compare numbers within one section. No test asserts a time.
"""


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


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> str:
    """One line: cores, CPU model, RAM, OS, Python, SQLite."""
    import sqlite3

    return (
        f"{os.cpu_count()} cores (nproc), {_cpu_model()}, {_ram()} RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}"
    )


def run_header() -> str:
    """The machine, the date and the exact command, for the top of a section."""
    command = "python " + " ".join(shlex.quote(arg) for arg in sys.argv)
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"- Machine: {machine()}\n- Date: {now}\n- Command: `{command}`\n"


def replace_section(path: Path, title: str, body: str) -> None:
    """Write ``## title`` + body into the file, replacing that section only (or appending)."""
    text = path.read_text(encoding="utf-8") if path.exists() else INTRO
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
