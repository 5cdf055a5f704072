"""The layout fixture pages (tests/data/layouts/) and how an extraction of one is scored.

Each page NAME.html has NAME.expected.json beside it with what a reader sees in the article:
``title``, ``kicker``, ``lead`` (the sapo, null when the page has none), ``published``
(YYYY-MM-DD), ``author`` (the person who signs, without their unit), ``body`` (every paragraph
of the text, in order, captions left out), ``captions`` (photo captions, which the body keeps)
and ``not_in_body`` (menus, bylines, share bars, related links, footers: strings that must
not be in the body). ``layout`` names the system the page imitates; ``split`` is ``dev`` for
pages the rules were tuned on and ``holdout`` for pages written after the tuning.

``province`` (optional) is the province of the site that publishes the page, before the 2025
merger, as the gazetteer names it ("Huế", "Bà Rịa - Vũng Tàu"), or null for a national site.
It is what the page itself says of its publisher (a header, a footer, an address), whatever
provinces its text names. Pages without the key are not scored for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.text.vietnamese import normalize_text

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests" / "data" / "layouts"
# Fields scored as right or wrong per page, and the body measures counted over all pages.
PAGE_FIELDS = ("title", "kicker", "lead", "published", "author", "province", "first", "last")
BODY_FIELDS = ("recall", "precision", "leaked", "captions")


@dataclass
class Fixture:
    """One layout fixture page and what it should extract to."""

    name: str
    path: Path
    layout: str
    split: str
    title: str
    kicker: str | None
    lead: str | None
    published: str | None
    author: str | None
    body: list[str]
    captions: list[str]
    not_in_body: list[str]
    province: str | None = None
    scores_province: bool = False  # the page gives its publisher's province (or null)


@dataclass
class Extracted:
    """What one extractor found on a page; None for a field it does not give."""

    title: str | None = None
    kicker: str | None = None
    published: str | None = None
    author: str | None = None
    body: list[str] | None = None
    province: str | None = None


@dataclass
class Tally:
    """Right answers and chances, per field; body measures as sums over lines and strings."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, right: int, total: int = 1) -> None:
        """Count ``right`` of ``total`` chances for a field."""
        self.right[name] = self.right.get(name, 0) + right
        self.total[name] = self.total.get(name, 0) + total

    def share(self, name: str) -> float | None:
        """The share right, or None when the field was never scored."""
        total = self.total.get(name, 0)
        return self.right[name] / total if total else None


def norm(text: str | None) -> str:
    """Normalized text on one line (NFC, one tone placement, single spaces)."""
    return " ".join(normalize_text(text or "").split())


def load_fixtures(folder: Path = LAYOUTS) -> list[Fixture]:
    """Every NAME.html in folder with its NAME.expected.json, by name."""
    fixtures = []
    for path in sorted(folder.glob("*.html")):
        data = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        fixtures.append(
            Fixture(
                name=path.stem,
                path=path,
                layout=data["layout"],
                split=data["split"],
                title=norm(data["title"]),
                kicker=norm(data["kicker"]) or None,
                lead=norm(data["lead"]) or None,
                published=data["published"],
                author=norm(data["author"]) or None,
                body=[norm(p) for p in data["body"]],
                captions=[norm(c) for c in data["captions"]],
                not_in_body=data["not_in_body"],
                province=norm(data.get("province")) or None,
                scores_province="province" in data,
            )
        )
    return fixtures


def _is_caption(line: str, fixture: Fixture) -> bool:
    """A caption line: it holds a caption (perhaps with its credit) or is part of one."""
    return any(c in line or line in c for c in fixture.captions)


def _good_line(line: str, fixture: Fixture) -> bool:
    """A body line that is (part of) an expected paragraph or a caption."""
    return _is_caption(line, fixture) or any(line in paragraph for paragraph in fixture.body)


def _same(found: str | None, expected: str | None) -> bool:
    return norm(found).casefold() == (expected or "").casefold()


def score_page(fixture: Fixture, got: Extracted, fields: frozenset[str], tally: Tally) -> None:
    """Add one page's scores for the fields an extractor gives to tally; note its misses."""

    def mark(name: str, ok: bool) -> None:
        tally.add(name, int(ok))
        if not ok:
            tally.misses.append(f"{fixture.name}: {name}")

    if "title" in fields:
        mark("title", _same(got.title, fixture.title))
    if "kicker" in fields:
        mark("kicker", _same(got.kicker, fixture.kicker))
    if "published" in fields:
        mark("published", got.published == fixture.published)
    if "author" in fields:
        mark("author", _same(got.author, fixture.author))
    if "province" in fields and fixture.scores_province:
        mark("province", got.province == fixture.province)
    if got.body is None or "body" not in fields:
        return
    lines = [line for line in (norm(raw) for raw in got.body) if line]
    text = " ".join(lines)
    prose = [line for line in lines if not _is_caption(line, fixture)]
    if fixture.lead:
        mark("lead", bool(lines) and lines[0] == fixture.lead)
    mark("first", bool(prose) and prose[0] == fixture.body[0])
    mark("last", bool(prose) and prose[-1] == fixture.body[-1])
    tally.add("recall", sum(p in text for p in fixture.body), len(fixture.body))
    tally.add("precision", sum(_good_line(line, fixture) for line in lines), len(lines))
    tally.add("leaked", sum(s in text for s in fixture.not_in_body), len(fixture.not_in_body))
    kept = [sum(c in line for line in lines) == 1 for c in fixture.captions]
    tally.add("captions", sum(kept), len(kept))
    if any(p not in text for p in fixture.body):
        tally.misses.append(f"{fixture.name}: recall")
    if any(not _good_line(line, fixture) for line in lines):
        tally.misses.append(f"{fixture.name}: precision")
