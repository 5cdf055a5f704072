"""Main text and metadata of HTML pages: our rules against trafilatura, jusText and htmldate.

    python bench/extraction.py [--fixtures DIR] [--repeat N] [--out FILE] [--no-write]

Runs every extractor over the layout fixture pages (tests/data/layouts/, see bench/layouts.py),
scores each field against the page's expected fields and times it, prints the tables and
replaces the "Measurements" section of docs/extraction.md. The libraries are the ``bench``
extras (``pip install -c constraints.txt -e '.[bench]'``); one that is missing is skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project root there instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import importlib.metadata
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.layouts import (
    BODY_FIELDS,
    LAYOUTS,
    PAGE_FIELDS,
    Extracted,
    Fixture,
    Tally,
    load_fixtures,
    score_page,
)
from bench.sections import machine_summary, write_section
from indexer.pages.extract import ExtractionError, extract_article
from indexer.pages.htmlpage import parse_html_page
from indexer.records import Location, RawRecord

DEFAULT_OUT = ROOT / "docs" / "extraction.md"
INTRO = "# Main text and metadata extraction\n"
ALL_FIELDS = frozenset({"title", "kicker", "published", "author", "body"})
OUR_FIELDS = ALL_FIELDS | {"province"}
# A saved page as the build meets it: a file whose name says nothing (a fixture's name gives
# its province away) and no sidecar.
SAVED_PAGE = Location("saved-page.html")
HEADINGS = {
    "title": "title",
    "kicker": "kicker",
    "lead": "lead first",
    "published": "date",
    "author": "author",
    "province": "province",
    "first": "first ¶",
    "last": "last ¶",
    "recall": "body recall",
    "precision": "body precision",
    "leaked": "boilerplate leaked",
    "captions": "captions once",
}


@dataclass(frozen=True)
class Extractor:
    """One way of extracting a page: its name, the fields it gives and the call."""

    name: str
    fields: frozenset[str]
    run: Callable[[bytes], Extracted]


def run_ours(data: bytes) -> Extracted:
    """Our rules as the build runs them: extract_article on the page, which adds its province.

    A page without body text is an ExtractionError there; its page fields are still scored.
    """
    record = RawRecord(id=SAVED_PAGE.path, kind="html", location=SAVED_PAGE, content=data)
    try:
        article = extract_article(record)
    except ExtractionError:
        page = parse_html_page(data)
        return Extracted(page.title, page.kicker, page.published, page.author, body=[])
    return Extracted(
        title=article.title,
        kicker=article.kicker,
        published=article.published,
        author=article.author,
        body=article.body.split("\n"),
        province=article.province,
    )


def run_trafilatura(data: bytes, **options: bool) -> Extracted:
    """trafilatura.bare_extraction with metadata, without comments."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, **options
    )
    if doc is None:
        return Extracted(body=[])
    return Extracted(
        title=doc.title, published=doc.date, author=doc.author, body=(doc.text or "").split("\n")
    )


def run_justext(data: bytes) -> Extracted:
    """jusText with its Vietnamese stoplist: the paragraphs it does not call boilerplate."""
    import justext

    paragraphs = justext.justext(data, justext.get_stoplist("Vietnamese"))
    return Extracted(body=[p.text for p in paragraphs if not p.is_boilerplate])


def run_htmldate(data: bytes) -> Extracted:
    """htmldate.find_date, the original (publication) date, extensive search."""
    import htmldate

    return Extracted(published=htmldate.find_date(data, original_date=True))


def available_extractors() -> list[Extractor]:
    """Our rules and every library extractor whose package is installed."""
    extractors = [Extractor("ours (extract_article)", OUR_FIELDS, run_ours)]
    library = [
        ("trafilatura", "trafilatura", ALL_FIELDS - {"kicker"}, run_trafilatura),
        (
            "trafilatura favor_recall",
            "trafilatura",
            ALL_FIELDS - {"kicker"},
            lambda data: run_trafilatura(data, favor_recall=True),
        ),
        (
            "trafilatura favor_precision",
            "trafilatura",
            ALL_FIELDS - {"kicker"},
            lambda data: run_trafilatura(data, favor_precision=True),
        ),
        ("jusText (Vietnamese stoplist)", "justext", frozenset({"body"}), run_justext),
        ("htmldate", "htmldate", frozenset({"published"}), run_htmldate),
    ]
    for name, package, fields, run in library:
        if _version(package):
            extractors.append(Extractor(name, fields, run))
    return extractors


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def evaluate(extractor: Extractor, fixtures: list[Fixture], repeat: int) -> tuple[Tally, float]:
    """Score one extractor over the pages; also its best time per page, in milliseconds."""
    pages = [(fixture, fixture.path.read_bytes()) for fixture in fixtures]
    tally = Tally()
    for fixture, data in pages:
        score_page(fixture, extractor.run(data), extractor.fields, tally)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _, data in pages:
            extractor.run(data)
        best = min(best, time.perf_counter() - started)
    return tally, 1000 * best / max(len(pages), 1)


def _cell(tally: Tally, name: str) -> str:
    share = tally.share(name)
    if share is None:
        return "—"
    if name in PAGE_FIELDS:
        return f"{tally.right[name]}/{tally.total[name]}"
    return f"{100 * share:.0f}%"


def fields_table(results: list[tuple[Extractor, Tally, float]]) -> str:
    """Markdown: one row per extractor, one column per field, then the time per page."""
    names = [*PAGE_FIELDS, *BODY_FIELDS]
    rows = [
        "| extractor | " + " | ".join(HEADINGS[n] for n in names) + " | ms/page |",
        "|---|" + "---:|" * (len(names) + 1),
    ]
    for extractor, tally, ms in results:
        cells = " | ".join(_cell(tally, n) for n in names)
        rows.append(f"| {extractor.name} | {cells} | {ms:.1f} |")
    return "\n".join(rows)


def layout_table(extractors: list[Extractor], fixtures: list[Fixture]) -> str:
    """Markdown: per layout, body recall / precision and the dates right, per extractor."""
    bodies = [e for e in extractors if "body" in e.fields]
    rows = [
        "| layout | pages | " + " | ".join(e.name for e in bodies) + " |",
        "|---|---:|" + "---|" * len(bodies),
    ]
    for layout in sorted({f.layout for f in fixtures}):
        group = [f for f in fixtures if f.layout == layout]
        cells = []
        for extractor in bodies:
            tally = Tally()
            for fixture in group:
                score_page(
                    fixture, extractor.run(fixture.path.read_bytes()), extractor.fields, tally
                )
            cells.append(
                f"{_cell(tally, 'recall')} / {_cell(tally, 'precision')}"
                + (f", date {_cell(tally, 'published')}" if "published" in extractor.fields else "")
            )
        rows.append(f"| {layout} | {len(group)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def report(fixtures: list[Fixture], repeat: int, command: str) -> str:
    """The Measurements section: machine, command, the field tables per split, our misses."""
    extractors = available_extractors()
    versions = ", ".join(
        f"{package} {_version(package)}"
        for package in ("trafilatura", "justext", "htmldate", "beautifulsoup4", "lxml")
        if _version(package)
    )
    lines = [
        f"- {machine_summary()}",
        f"- Command: `{command}`",
        f"- Libraries: {versions}",
        "- Load average at the start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (other work on the machine makes the times noisier)",
        f"- Pages: {len(fixtures)} in {len({f.layout for f in fixtures})} layouts "
        f"({sum(f.split == 'dev' for f in fixtures)} dev, "
        f"{sum(f.split == 'holdout' for f in fixtures)} holdout); time: best of {repeat} runs",
        "",
        "Page fields are pages right / pages scored (`lead first`: pages with a sapo, whose "
        "body must start with it; `province`: the publishing site's province, or none for a "
        "national site, on pages that give it; `first ¶` / `last ¶`: the first and last line "
        "of the body that is not a caption). Body recall: expected paragraphs found; precision: "
        "body lines that are an expected paragraph or caption; boilerplate leaked: the page's "
        "must-not-appear strings found in the body; captions once: captions kept exactly once.",
    ]
    misses: list[str] = []
    for split in ("dev", "holdout", "all"):
        chosen = [f for f in fixtures if split in ("all", f.split)]
        if not chosen:
            continue
        results = []
        for extractor in extractors:
            tally, ms = evaluate(extractor, chosen, repeat)
            results.append((extractor, tally, ms))
            if split == "all" and extractor.run is run_ours:
                misses = tally.misses
        lines += ["", f"### {split} pages ({len(chosen)})", "", fields_table(results)]
    lines += ["", "### Body recall / precision by layout (all pages)", ""]
    lines.append(layout_table(extractors, fixtures))
    lines += ["", "### What our rules miss", ""]
    lines += [f"- {miss}" for miss in misses] or ["- nothing"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, measure, print, and write the section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=LAYOUTS, help="folder of pages")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to update")
    parser.add_argument("--no-write", action="store_true", help="print only; leave --out alone")
    args = parser.parse_args(argv)
    fixtures = load_fixtures(args.fixtures)
    command = "python bench/extraction.py" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    body = report(fixtures, args.repeat, command)
    print(body)
    if not args.no_write:
        if not args.out.exists():
            args.out.write_text(INTRO, encoding="utf-8")
        write_section(args.out, "Measurements", body)


if __name__ == "__main__":
    main()
