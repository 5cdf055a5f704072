"""Shared by the benchmarks: the machine they ran on, and their sections of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
import re
from pathlib import Path

INTRO = (
    "# Benchmarks\n\n"
    "Numbers written by the scripts in `bench/`; each section says the machine, the date and\n"
    "the command that produced it. No test asserts a time: these are measurements.\n"
)


def machine_summary() -> str:
    """One line: CPU model and count, memory, Python, date."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as info:
            memory = int(info.readline().split()[1]) / 2**20
    except OSError:
        memory = 0.0
    today = datetime.date.today().isoformat()
    return (
        f"Machine: {os.cpu_count()} × {cpu}, {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}; run on {today}."
    )


def write_section(path: Path, title: str, body: str) -> None:
    """Replace (or add) the ``## title`` section of a Markdown file, keeping the others."""
    text = path.read_text(encoding="utf-8") if path.exists() else INTRO
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
