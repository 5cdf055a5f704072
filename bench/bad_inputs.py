"""The hostile inputs of tests/data/bad/ through a real build, for docs/reliability.md.

    python bench/bad_inputs.py [--no-write]

Copies the set beside a good page, adds what is made at run time (a 50 MB page, lines of
1 MB, a symbolic link loop, a dangling link), builds an index in a temporary folder and
writes the ``## Bad input`` section: each input, whether it was indexed (with its title)
or reported (with the reason), and how long the build took.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import shutil
import tempfile
import time

from whoosh import index

from bench.corpus import ROOT, setup_logging
from bench.tables import run_header, table, write_section
from indexer.build.builder import build_index
from tests.data.make_bad import write_large_inputs, write_link_traps

BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "archive" / "003_1f8cfd56b29d262e.txt"
OUT = ROOT / "docs" / "reliability.md"
SECTION = "Bad input"


def _cell(text: str, limit: int = 70) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Build, describe each input, write the section."""
    parser = argparse.ArgumentParser(prog="bench/bad_inputs.py", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    setup_logging(False)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "archive"
        shutil.copytree(BAD, folder, ignore=shutil.ignore_patterns("*.md"))
        shutil.copy(GOOD, folder / "good.txt")
        write_large_inputs(folder, GOOD)
        write_link_traps(folder)
        started = time.perf_counter()
        report = build_index([folder], Path(temp) / "ix", jobs=2)
        seconds = time.perf_counter() - started
        with index.open_dir(str(Path(temp) / "ix")).searcher() as searcher:
            docs = {d["id"]: d for d in searcher.all_stored_fields()}
        prefix = str(folder) + "/"
    rows = [
        [f"`{doc_id}`", "indexed", _cell(doc["title"]), f"{len(doc.get('body', '')):,}"]
        for doc_id, doc in sorted(docs.items())
    ]
    rows += [
        [f"`{str(f.location).removeprefix(prefix)}`", "reported", _cell(f.reason), ""]
        for f in sorted(report.failures, key=lambda f: str(f.location))
    ]
    committed = sum(path.suffix != ".md" for path in BAD.iterdir())
    body = (
        run_header() + f"- Inputs: the {committed} files of `tests/data/bad/` "
        "(see its README.md), a good page, and made at run time a 50 MB HTML page, a text "
        "with two lines of 1 MB, a folder symbolic link loop, a file link loop and a dangling "
        "link. Unreadable files and a file deleted during the build are tested in "
        "`tests/test_bad_inputs.py` (they need a second process or a hook).\n"
        f"- Build: {seconds:.1f} s on 2 workers; {report.summary()}\n\n"
        + table(["input", "outcome", "title or reason", "characters indexed"], rows)
    )
    print(f"## {SECTION}\n\n{body}")
    if not args.no_write:
        write_section(OUT, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
