"""Runs of loose syllables -> the words they make: "chuyển đổi số" -> chuyển đổi + số.

A word of the query matches an article only where the article has it as a word: its
syllables side by side, in order ("đổi" alone, in "thay đổi", is not "chuyển đổi"). Typed with
diacritics, a run of syllables is split into words by underthesea. Typed without them,
underthesea sees no words: the run's diacritics are first restored from the archive's
vocabulary (``spelling.suggest``), and the restored text is split; syllables left bare then
join the two-syllable words the archive has for them. The words keep the spelling typed, so
that a word typed without diacritics still matches any of them.

Quoted phrases, exclusions, document numbers and abbreviations are left as they are, and so
is pasted text (more than ``LONG_QUERY`` syllables), which is matched by its telling words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from indexer.text.segment import segment_words
from indexer.text.vietnamese import fold, has_diacritics, syllables
from search_app.query.language import (
    LONG_QUERY,
    Alternatives,
    And,
    Node,
    Not,
    Or,
    ParsedQuery,
    Term,
    Word,
)
from search_app.query.spelling import Vocabulary, suggest

PAIR = 2  # syllables of the words joined from the vocabulary alone


def _word_sizes(words: list[str], terms: tuple[Term, ...]) -> list[int] | None:
    """How many of the run's syllables each word takes, or None when they do not line up."""
    sizes: list[int] = []
    at = 0
    for word in words:
        parts = [fold(s) for s, _, _ in syllables(word.replace("_", " "))]
        if not parts:
            continue
        if tuple(parts) != tuple(t.folded for t in terms[at : at + len(parts)]):
            return None
        sizes.append(len(parts))
        at += len(parts)
    return sizes if at == len(terms) else None


def _pairs(terms: tuple[Term, ...], vocabulary: Vocabulary) -> list[int]:
    """Sizes that join bare syllables into the archive's two-syllable words, covering as many
    syllables as can be (the leftmost word first on a tie)."""
    n = len(terms)
    joins = [
        i + PAIR <= n
        and not any(t.accented for t in terms[i : i + PAIR])
        and bool(vocabulary.word_readings(" ".join(t.folded for t in terms[i : i + PAIR])))
        for i in range(n)
    ]
    covered = [0] * (n + PAIR)  # syllables in words, in terms[i:]
    for i in range(n - 1, -1, -1):
        covered[i] = max(covered[i + 1], PAIR + covered[i + PAIR] if joins[i] else 0)
    sizes, i = [], 0
    while i < n:
        size = PAIR if joins[i] and PAIR + covered[i + PAIR] >= covered[i + 1] else 1
        sizes.append(size)
        i += size
    return sizes


def split_run(terms: tuple[Term, ...], vocabulary: Callable[[], Vocabulary]) -> list[Node]:
    """A run of loose syllables as words: a ``Word`` for each of several syllables."""
    if len(terms) < 2:
        return list(terms)
    text = " ".join(t.text for t in terms)
    sizes = None
    if any(t.accented for t in terms):
        sizes = _word_sizes(segment_words(text), terms)
    else:
        restored = suggest(text, vocabulary())
        if restored and has_diacritics(restored):
            sizes = _word_sizes(segment_words(restored.lower()), terms)
    nodes: list[Node] = []
    at = 0
    for size in sizes or [1] * len(terms):
        part = terms[at : at + size]
        nodes.append(Word(part) if size > 1 else part[0])
        at += size
    return _join_bare_pairs(nodes, vocabulary)


def _join_bare_pairs(nodes: list[Node], vocabulary: Callable[[], Vocabulary]) -> list[Node]:
    """Single bare syllables left side by side, joined into the archive's words."""
    result: list[Node] = []
    run: list[Term] = []

    def flush() -> None:
        if len(run) >= PAIR:
            at = 0
            for size in _pairs(tuple(run), vocabulary()):
                part = tuple(run[at : at + size])
                result.append(Word(part) if size > 1 else part[0])
                at += size
        else:
            result.extend(run)
        run.clear()

    for node in nodes:
        if isinstance(node, Term) and not node.accented:
            run.append(node)
        else:
            flush()
            result.append(node)
    flush()
    return result


def _group(node: Node, vocabulary: Callable[[], Vocabulary]) -> Node:
    if isinstance(node, Term):
        return node
    if isinstance(node, And):
        children: list[Node] = []
        run: list[Term] = []
        for child in (*node.nodes, None):
            if isinstance(child, Term):
                run.append(child)
                continue
            children += split_run(tuple(run), vocabulary)
            run = []
            if child is not None:
                children.append(_group(child, vocabulary))
        return children[0] if len(children) == 1 else And(tuple(children))
    if isinstance(node, Or):
        return Or(tuple(_group(child, vocabulary) for child in node.nodes))
    if isinstance(node, Alternatives):
        return replace(node, typed=_group(node.typed, vocabulary))
    if isinstance(node, Not):
        return node  # an excluded word is excluded wherever it stands
    return node


def group_words(parsed: ParsedQuery, vocabulary: Callable[[], Vocabulary]) -> ParsedQuery:
    """The parsed query with its runs of loose syllables grouped into words.

    ``vocabulary`` is called only for a run typed without diacritics.
    """
    if parsed.root is None or len(parsed.positive_terms()) > LONG_QUERY:
        return parsed
    return replace(parsed, root=_group(parsed.root, vocabulary))
