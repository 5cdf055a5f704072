"""What a build indexed, counted: by source, province and year, and failures by reason."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.inputs.sources import input_kind
from indexer.records import Failure

UNKNOWN = "unknown"  # a province or year the article does not say
_DETAIL_RE = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|\s+at\s.*$")
_TOP = 12  # values listed per line; the rest are summed as "others"
_SOURCES = 30  # sources listed
_CONTAINERS = ("jsonl", "warc")  # inputs holding many articles


def source_name(key: str, roots: list[Path]) -> str:
    """The source an input belongs to: its first folder under the path it was found under,
    e.g. ``sotttt.backan.gov.vn`` for ``archive/sotttt.backan.gov.vn/a/b.html`` indexed as
    ``archive``; a page directly in that path belongs to the path (``archive/``), while an
    export or a web archive there, or any file given by itself, is its own source."""
    path = Path(key)
    for root in roots:
        if path == root:
            return root.name
        if root in path.parents:
            parts = path.relative_to(root).parts
            if len(parts) > 1:
                return f"{parts[0]}/"
            return path.name if input_kind(path) in _CONTAINERS else f"{root.name}/"
    return path.name


def failure_reason(reason: str) -> str:
    """A failure's kind, without its details: 'malformed JSON: Expecting ...' -> 'malformed
    JSON', "duplicate id 'x' (first at line 1)" -> 'duplicate id'."""
    head = reason.split(":", 1)[0]
    return " ".join(_DETAIL_RE.sub(" ", head).split()) or reason


@dataclass
class BuildStats:
    """Counts of the articles a build indexed and of the inputs it could not."""

    indexed_by_source: Counter[str] = field(default_factory=Counter)
    failed_by_source: Counter[str] = field(default_factory=Counter)
    by_province: Counter[str] = field(default_factory=Counter)
    by_year: Counter[str] = field(default_factory=Counter)
    failures_by_reason: Counter[str] = field(default_factory=Counter)

    def add_article(self, source: str, province: str | None, year: str | None) -> None:
        """Count one indexed article."""
        self.indexed_by_source[source] += 1
        self.by_province[province or UNKNOWN] += 1
        self.by_year[year or UNKNOWN] += 1

    def add_failure(self, failure: Failure, roots: list[Path]) -> None:
        """Count one input that could not be indexed."""
        self.failed_by_source[source_name(failure.location.path, roots)] += 1
        self.failures_by_reason[failure_reason(failure.reason)] += 1

    def lines(self) -> list[str]:
        """The statistics as lines for the end of a build (none when nothing happened)."""
        sources = sorted(set(self.indexed_by_source) | set(self.failed_by_source))
        if not sources:
            return []
        shown = sorted(sources, key=lambda n: -self.indexed_by_source[n] - self.failed_by_source[n])
        shown = sorted(shown[:_SOURCES])
        width = max(len(name) for name in shown)
        out = ["by source (indexed, failed):"]
        if len(sources) > len(shown):
            out[0] = f"by source (indexed, failed; the {len(shown)} largest of {len(sources)}):"
        for name in shown:
            indexed, failed = self.indexed_by_source[name], self.failed_by_source[name]
            out.append(f"  {name:<{width}}  {indexed:>7,}  {failed:>6,}")
        if self.by_province:
            out.append("by province: " + _listing(self.by_province))
        if self.by_year:
            years = sorted(self.by_year.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
            out.append("by year: " + ", ".join(f"{year} {count:,}" for year, count in years))
        if self.failures_by_reason:
            out.append("failures by reason: " + _listing(self.failures_by_reason))
        return out


def _listing(counts: Counter[str]) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0] == UNKNOWN, item[0]))
    shown = ranked[:_TOP]
    rest = counts.total() - sum(count for _, count in shown)
    parts = [f"{name} {count:,}" for name, count in shown]
    if rest:
        parts.append(f"others {rest:,}")
    return ", ".join(parts)
