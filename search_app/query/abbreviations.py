"""Abbreviations and their long forms find each other: UBND / Ủy ban nhân dân, CNTT / công
nghệ thông tin, TT&TT / Thông tin và Truyền thông ...

The list is data (``indexer/data/abbreviations.toml``). A query's words (or quoted phrase)
that spell one form of an entry become an ``Alternatives`` node: the form typed or any other
form matches, and the engine ranks the form typed first.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache
from pathlib import Path

from indexer.text.vietnamese import normalize_text, syllables
from search_app.query.language import Alternatives, And, Node, Not, Or, ParsedQuery, Phrase, Term

DATA = Path(__file__).resolve().parents[2] / "indexer" / "data" / "abbreviations.toml"


class AbbreviationsError(ValueError):
    """The abbreviations file is not what it should be."""


def _terms(form: str) -> tuple[Term, ...]:
    return tuple(Term(s.lower()) for s, _, _ in syllables(normalize_text(form)))


@cache
def forms(path: Path = DATA) -> dict[tuple[str, ...], tuple[tuple[Term, ...], ...]]:
    """Each form's folded syllables -> the other forms of its entry, as query syllables."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("entry", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AbbreviationsError(f"cannot read {path}: {error}") from error
    table: dict[tuple[str, ...], tuple[tuple[Term, ...], ...]] = {}
    for entry in entries:
        spelled = [
            _terms(form)
            for form in [*entry.get("short", []), *entry.get("long", [])]
            if isinstance(form, str) and form.strip()
        ]
        unique = list({tuple(t.folded for t in terms): terms for terms in spelled}.values())
        for terms in unique:
            key = tuple(t.folded for t in terms)
            table[key] = tuple(other for other in unique if other != terms)
    return table


def _node(terms: tuple[Term, ...]) -> Node:
    return terms[0] if len(terms) == 1 else Phrase(terms)


def _alternatives(typed: Node, terms: tuple[Term, ...]) -> Node:
    others = forms().get(tuple(t.folded for t in terms))
    return Alternatives(typed, tuple(_node(o) for o in others)) if others else typed


@cache
def _sizes() -> tuple[int, ...]:
    """The numbers of syllables forms have, largest first."""
    return tuple(sorted({len(key) for key in forms()}, reverse=True))


def _expand_words(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """Replace runs of words spelling a form (longest first) in one group of words."""
    table = forms()
    folded = [node.folded if isinstance(node, Term) else None for node in nodes]
    result: list[Node] = []
    i = 0
    while i < len(nodes):
        for size in _sizes():
            key = tuple(folded[i : i + size])
            if len(key) == size and None not in key and key in table:
                run = nodes[i : i + size]
                # Typed as loose words they still match in any order, as words always do.
                typed = run[0] if size == 1 else And(run)
                result.append(_alternatives(typed, run))  # type: ignore[arg-type]
                i += size
                break
        else:
            result.append(expand(nodes[i]))
            i += 1
    return tuple(result)


def expand(node: Node) -> Node:
    """A query tree where every abbreviation or long form also matches its other forms."""
    if isinstance(node, Term):
        return _alternatives(node, (node,))
    if isinstance(node, Phrase):
        return _alternatives(node, node.terms)
    if isinstance(node, And):
        expanded = _expand_words(node.nodes)
        return expanded[0] if len(expanded) == 1 else And(expanded)
    if isinstance(node, Or):
        return Or(tuple(expand(child) for child in node.nodes))
    if isinstance(node, Not):
        return Not(expand(node.node))
    return node


def expand_query(parsed: ParsedQuery) -> ParsedQuery:
    """The parsed query with abbreviations expanded."""
    if parsed.root is None:
        return parsed
    return replace(parsed, root=expand(parsed.root))
