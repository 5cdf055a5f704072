"""docs/reliability.md: creating it with its own introduction, and replacing one section."""

from __future__ import annotations

from pathlib import Path

from bench.sections import write_section

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
INTRO = (
    "# Reliability\n\n"
    "How the indexer and the app behave when things go wrong. Each measured section is\n"
    "written by a script in `bench/` and says the machine, the date and the command that\n"
    "produced it; the tests named in it check the same on every run of the suite.\n"
)


def write_reliability(out: Path, title: str, body: str) -> None:
    """Replace (or add) the ``## title`` section of the reliability document."""
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(INTRO, encoding="utf-8")
    write_section(out, title, body)
