"""The topic taxonomy (data/topics.toml) and how an article gets its topics.

An article gets the topics it is mainly about: weighted key phrases are counted in the title (which
weighs most), the lead paragraph and the rest of the body; body scores are divided by the length,
and a sentence that lists the department's fields ("quản lý nhà nước về: báo chí; xuất bản; bưu
chính; ...") hardly counts, so that such a list does not give the article every topic.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.text.vietnamese import normalize_text, trie_pattern, whole_words_pattern

TOPICS_PATH = Path(__file__).resolve().parents[1] / "data" / "topics.toml"

MAX_TOPICS = 3
TITLE_WEIGHT = 4.0  # a title hit, against a body hit per 100 syllables
LEAD_WEIGHT = 2.0  # a hit in the first paragraph
ENUMERATION_WEIGHT = 0.1  # a hit inside a list of fields
MIN_LENGTH = 150  # syllables: shorter bodies are scored as if this long
MIN_SCORE = 2.5  # absolute threshold for a topic
RELATIVE_SCORE = 0.25  # a topic must reach this fraction of the best topic's score
LEAD_CHARS = 600  # a body without paragraph breaks: its lead is this many characters

# A list: at least this many short items, naming this many different topics.
ENUMERATION_ITEMS = 3
ENUMERATION_ITEM_CHARS = 60

_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s)|\n")
_ITEM_SEPARATOR_RE = re.compile(r"[;:,]|\s(?:và|hoặc)\s")


class TopicsError(RuntimeError):
    """The topics data file is missing or malformed."""


@dataclass(frozen=True)
class Topic:
    """One topic: its slug (for URLs), its label (shown, stored) and weighted key phrases."""

    slug: str
    label: str
    phrases: tuple[tuple[str, float], ...]
    requires: tuple[str, ...] = ()  # the topic needs one of these phrases in the article


@dataclass(frozen=True)
class _Matcher:
    topics: tuple[Topic, ...]
    folded_re: re.Pattern[str]  # lowercase phrases, run over lowercased text
    exact_re: re.Pattern[str]  # phrases with capitals, run over the text as written
    weights: dict[str, list[tuple[int, float]]]  # phrase -> (topic index, weight)
    requires_re: dict[int, re.Pattern[str]]  # topic index -> phrases one of which must occur


def _parse_topic(raw: object) -> Topic:
    """One [[topic]] table -> Topic, or TopicsError saying what is wrong."""
    if not isinstance(raw, dict):
        raise TopicsError(f"{TOPICS_PATH.name}: a [[topic]] must be a table")
    slug, label, phrases = raw.get("slug"), raw.get("label"), raw.get("phrases")
    requires = raw.get("requires", [])
    if not isinstance(slug, str) or not isinstance(label, str) or not isinstance(phrases, dict):
        raise TopicsError(f"{TOPICS_PATH.name}: topic {slug!r} needs slug, label and phrases")
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise TopicsError(f"{TOPICS_PATH.name}: {slug}: requires must be a list of phrases")
    weighted = []
    for phrase, weight in phrases.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise TopicsError(f"{TOPICS_PATH.name}: {slug}: bad weight for {phrase!r}")
        weighted.append((normalize_text(phrase).strip(), float(weight)))
    return Topic(
        slug=slug,
        label=normalize_text(label),
        phrases=tuple(weighted),
        requires=tuple(normalize_text(r).strip() for r in requires),
    )


def _phrase_re(phrases: list[str]) -> re.Pattern[str]:
    """Whole-syllable matcher for phrases, as written; matches nothing when there are none."""
    return re.compile(whole_words_pattern(sorted(set(phrases))))


def _requires_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Matcher for a topic's required context; lowercase phrases match in any case."""
    folded = [p for p in phrases if p == p.lower()]
    exact = [p for p in phrases if p != p.lower()]
    return re.compile(
        r"(?<!\w)(?:(?i:"
        + (trie_pattern(sorted(folded)) or "(?!)")
        + r")|"
        + (trie_pattern(sorted(exact)) or "(?!)")
        + r")(?!\w)"
    )


@cache
def _matcher() -> _Matcher:
    """Load the taxonomy and compile its phrases, once."""
    try:
        data = tomllib.loads(TOPICS_PATH.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TopicsError(f"cannot read {TOPICS_PATH}: {exc}") from exc
    topics = tuple(_parse_topic(raw) for raw in data.get("topic", []))
    if len({t.slug for t in topics}) != len(topics):
        raise TopicsError(f"{TOPICS_PATH.name}: duplicate topic slugs")
    weights: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, topic in enumerate(topics):
        for phrase, weight in topic.phrases:
            weights[phrase].append((index, weight))
    return _Matcher(
        topics=topics,
        folded_re=_phrase_re([p for p in weights if p == p.lower()]),
        exact_re=_phrase_re([p for p in weights if p != p.lower()]),
        weights=dict(weights),
        requires_re={i: _requires_re(t.requires) for i, t in enumerate(topics) if t.requires},
    )


def all_topics() -> list[Topic]:
    """Every topic, in the order of the data file."""
    return list(_matcher().topics)


def topic_by_slug(slug: str) -> Topic | None:
    """'chuyen-doi-so' -> the Chuyển đổi số topic; None for an unknown slug."""
    return next((t for t in _matcher().topics if t.slug == slug), None)


def _hits(text: str) -> list[tuple[int, int, float]]:
    """(position, topic index, weight) of every key phrase in normalized text."""
    matcher = _matcher()
    found = []
    # Lowercasing once and matching case-sensitively is much faster than re.IGNORECASE.
    for regex, target in ((matcher.folded_re, text.lower()), (matcher.exact_re, text)):
        for match in regex.finditer(target):
            entries = matcher.weights[match.group(0)]
            found.extend((match.start(), index, weight) for index, weight in entries)
    return found


def _enumeration_sentences(text: str, hits: list[tuple[int, int, float]]) -> set[int]:
    """Indexes of the sentences that list fields: several short items naming several topics."""
    sentence_ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    separators = [m.start() for m in _ITEM_SEPARATOR_RE.finditer(text)]
    items: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for position, index, _weight in hits:
        item = bisect.bisect_right(separators, position)
        item_start = separators[item - 1] if item else 0
        item_end = separators[item] if item < len(separators) else len(text)
        if item_end - item_start <= ENUMERATION_ITEM_CHARS:
            items[bisect.bisect_right(sentence_ends, position)][item].add(index)
    return {
        sentence
        for sentence, by_item in items.items()
        if len(by_item) >= ENUMERATION_ITEMS
        and len(set().union(*by_item.values())) >= ENUMERATION_ITEMS
    }


def _body_scores(body: str) -> dict[int, float]:
    """Topic index -> body score per 100 syllables, lead boosted, enumerations discounted."""
    hits = _hits(body)
    if not hits:
        return {}
    listed = _enumeration_sentences(body, hits)
    sentence_ends = [m.end() for m in _SENTENCE_END_RE.finditer(body)] if listed else []
    lead_end = body.find("\n")
    lead_end = LEAD_CHARS if lead_end < 0 else lead_end
    scores: dict[int, float] = defaultdict(float)
    for position, index, weight in hits:
        if listed and bisect.bisect_right(sentence_ends, position) in listed:
            weight *= ENUMERATION_WEIGHT
        elif position < lead_end:
            weight *= LEAD_WEIGHT
        scores[index] += weight
    length = max(body.count(" ") + body.count("\n") + 1, MIN_LENGTH)
    return {index: score * 100 / length for index, score in scores.items()}


def score_topics(title: str, body: str) -> list[tuple[str, float]]:
    """(label, score) of every topic the article touches, best first; for tuning and debugging."""
    matcher = _matcher()
    scores = _body_scores(body)
    for _position, index, weight in _hits(title):
        scores[index] = scores.get(index, 0.0) + weight * TITLE_WEIGHT
    for index, required in matcher.requires_re.items():
        if index in scores and not (required.search(title) or required.search(body)):
            del scores[index]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(matcher.topics[index].label, round(score, 3)) for index, score in ranked]


def assign_topics(title: str, body: str) -> list[str]:
    """Labels of the (at most three) topics a normalized article is mainly about, best first."""
    ranked = score_topics(title, body)
    if not ranked:
        return []
    floor = max(MIN_SCORE, ranked[0][1] * RELATIVE_SCORE)
    return [label for label, score in ranked[:MAX_TOPICS] if score >= floor]
