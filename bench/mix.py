"""The query mix: known items (titles, body spans) in four typing variants, and the rest.

Known-item queries name the article they were drawn from. Each is typed four ways: as the
article writes it (``accented``), without diacritics (``folded``), with the old tone
placement (``old_tone``: hoà, thuỷ, uỷ) and decomposed (``nfd``). The rest measure speed:
single common words, two-word topics, legal document numbers, and empty queries with facet
filters. Everything is drawn with one seed, so a mix is the same on the same corpus.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.corpus import BenchArticle
from indexer.metadata.docnumbers import find_document_numbers
from indexer.text.vietnamese import TONE_MARKS, fold, strip_diacritics

VARIANTS = ("accented", "folded", "old_tone", "nfd")
KINDS = ("title", "span", "word", "topic", "docnum", "browse")
SPAN_WORDS = (6, 9)
TITLE_SYLLABLES = (4, 25)
COMMON_WORDS = 200  # single words are drawn from this many most frequent ones
COMMON_PAIRS = 300  # two-word topics from this many most frequent title word pairs
FUNCTION_WORDS = 40  # pairs with one of this many most frequent words are not topics
SAMPLE_ARTICLES = 4000  # word and pair counts come from a sample of this many articles

_SYLLABLE_RE = re.compile(r"[^\W\d_]+|\d+")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—/«»*"
_UNSAFE_WORD_RE = re.compile(r"[\"“”()|\[\]{}]|^-|^(?:OR|AND)$")


@dataclass(frozen=True)
class Query:
    """One query of the mix and what it should find."""

    kind: str  # one of KINDS
    q: str
    variant: str = ""  # one of VARIANTS for known items
    province: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    target: str | None = None  # the article a known-item query was drawn from
    base: int = -1  # known items: the number of the text its variants share
    unique: bool = False  # known items: no other article contains the text (folded)
    changed: bool = True  # the variant differs from the accented text

    def url(self, endpoint: str = "/search.json") -> str:
        """The app's URL for this query."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [(name, v) for name in ("province", "year", "topic") for v in getattr(self, name)]
        return endpoint + ("?" + urlencode(pairs) if pairs else "")


@dataclass
class Mix:
    """A query mix and how it was drawn."""

    queries: list[Query]
    seed: int
    notes: list[str] = field(default_factory=list)


# --- typing variants ------------------------------------------------------------------------

_TONED_O = "".join(unicodedata.normalize("NFC", b + t) for b in "oO" for t in TONE_MARKS)
_TONED_U = "".join(unicodedata.normalize("NFC", b + t) for b in "uU" for t in TONE_MARKS)
# New placement (hòa, khỏe, thủy) at the end of a syllable, not after q: the reverse of
# indexer.text.vietnamese's _OLD_PLACEMENT_RE rule.
_NEW_PLACEMENT_RE = re.compile(rf"(?<![qQ])(?:[{_TONED_O}][aAeE]|[{_TONED_U}][yY])(?![^\W\d_])")


def _to_old_pair(pair: str) -> str:
    decomposed = unicodedata.normalize("NFD", pair[0])
    tone = next(c for c in decomposed if c in TONE_MARKS)
    plain = decomposed.replace(tone, "")
    return unicodedata.normalize("NFC", plain) + unicodedata.normalize("NFC", pair[1] + tone)


def to_old_tone(text: str) -> str:
    """Write the tone the old way: 'hòa' -> 'hoà', 'khỏe' -> 'khoẻ', 'thủy' -> 'thuỷ'."""
    return _NEW_PLACEMENT_RE.sub(lambda m: _to_old_pair(m.group(0)), text)


def typed(text: str, variant: str) -> str:
    """The text as typed in one of VARIANTS."""
    if variant == "accented":
        return text
    if variant == "folded":
        return strip_diacritics(text)
    if variant == "old_tone":
        return to_old_tone(text)
    if variant == "nfd":
        return unicodedata.normalize("NFD", text)
    raise ValueError(f"unknown variant {variant!r}")


# --- uniqueness -----------------------------------------------------------------------------


class FoldedCorpus:
    """Every article's title and body as folded syllables, to count who contains a text."""

    def __init__(self, articles: list[BenchArticle]) -> None:
        parts, self.starts, offset = [], [], 0
        for article in articles:
            text = f" {_folded(article.title)} | {_folded(article.body)} \n"
            self.starts.append(offset)
            parts.append(text)
            offset += len(text)
        self.text = "".join(parts)

    def count(self, text: str) -> int:
        """How many articles contain the text (as folded syllables, in order)."""
        key = f" {_folded(text)} "
        found: set[int] = set()
        position = self.text.find(key)
        while position >= 0:
            found.add(bisect.bisect_right(self.starts, position) - 1)
            position = self.text.find(key, position + 1)
        return len(found)


def _folded(text: str) -> str:
    return " ".join(_SYLLABLE_RE.findall(fold(text)))


# --- drawing --------------------------------------------------------------------------------


def _clean_span(words: list[str]) -> str | None:
    if any(_UNSAFE_WORD_RE.search(w) for w in words):
        return None
    text = " ".join(words).strip(_EDGE_PUNCT + " ")
    return text if len(_SYLLABLE_RE.findall(text)) >= SPAN_WORDS[0] else None


def draw_span(article: BenchArticle, rng: random.Random) -> str | None:
    """A 6-9-word span of one paragraph of the body, without query-language characters."""
    paragraphs = [p.split() for p in article.body.split("\n") if len(p.split()) >= 12]
    for _attempt in range(8):
        if not paragraphs:
            return None
        words = rng.choice(paragraphs)
        size = rng.randint(*SPAN_WORDS)
        start = rng.randrange(0, len(words) - size + 1)
        span = _clean_span(words[start : start + size])
        if span:
            return span
    return None


def _title_ok(article: BenchArticle) -> bool:
    count = len(_SYLLABLE_RE.findall(article.title))
    clean = not any(_UNSAFE_WORD_RE.search(w) for w in article.title.split())
    return article.given_title and clean and TITLE_SYLLABLES[0] <= count <= TITLE_SYLLABLES[1]


def _known_items(
    articles: list[BenchArticle], kind: str, count: int, rng: random.Random, first_base: int
) -> list[tuple[int, str, str]]:
    """(base number, text, article id) for ``count`` titles or spans of distinct articles."""
    pool = [a for a in articles if _title_ok(a)] if kind == "title" else list(articles)
    rng.shuffle(pool)
    found = []
    for article in pool:
        if len(found) == count:
            break
        text = (
            article.title.strip(_EDGE_PUNCT + " ") if kind == "title" else draw_span(article, rng)
        )
        if text:
            found.append((first_base + len(found), text, article.id))
    return found


def _sample(articles: list[BenchArticle], rng: random.Random) -> list[BenchArticle]:
    return rng.sample(articles, min(SAMPLE_ARTICLES, len(articles)))


def common_words(articles: list[BenchArticle], rng: random.Random, count: int) -> list[str]:
    """Single words drawn from the most frequent ones (lowercase, as written)."""
    counts = Counter(w for a in _sample(articles, rng) for w in _LETTERS_RE.findall(a.body.lower()))
    top = [w for w, _n in counts.most_common(COMMON_WORDS)]
    return rng.sample(top, min(count, len(top)))


def two_word_topics(articles: list[BenchArticle], rng: random.Random, count: int) -> list[str]:
    """Frequent pairs of adjacent title words, without function words ('an ninh', 'bóng đá')."""
    sample = _sample(articles, rng)
    words = Counter(w for a in sample for w in _LETTERS_RE.findall(a.body.lower()))
    function = {w for w, _n in words.most_common(FUNCTION_WORDS)}
    pairs: Counter[str] = Counter()
    for article in sample:
        for chunk in re.split(r"[^\w\s]", article.title.lower()):
            syl = chunk.split()
            pairs.update(
                f"{x} {y}"
                for x, y in itertools.pairwise(syl)
                if x not in function and y not in function and x.isalpha() and y.isalpha()
            )
    top = [p for p, _n in pairs.most_common(COMMON_PAIRS)]
    return rng.sample(top, min(count, len(top)))


def document_numbers(articles: list[BenchArticle], rng: random.Random, count: int) -> list[str]:
    """Legal document numbers as the articles write them."""
    found = sorted(
        {n.text for a in articles for n in find_document_numbers(a.title + "\n" + a.body)}
    )
    return rng.sample(found, min(count, len(found)))


def browse_filters(articles: list[BenchArticle], rng: random.Random, count: int) -> list[dict]:
    """Facet filters for empty queries, drawn from real articles' values (one or two facets)."""
    shapes = [("province",), ("year",), ("topic",), ("province", "year"), ("topic", "year")]
    chosen: list[dict] = [{}]  # the archive's front page: everything, newest first
    for _attempt in range(count * 20):
        if len(chosen) >= count:
            break
        article = rng.choice(articles)
        values = {"province": article.province, "year": article.year}
        values["topic"] = rng.choice(article.topics) if article.topics else None
        shape = rng.choice(shapes)
        if all(values[name] for name in shape):
            chosen.append({name: (values[name],) for name in shape})
    return chosen[:count]


def _shares(total: int) -> dict[str, int]:
    """How many queries of each kind: about 72% known items (4 variants each), the rest even."""
    bases = max(1, round(total * 0.09))
    rest = max(0, total - 8 * bases)
    quarter, extra = divmod(rest, 4)
    shares = {"title": bases, "span": bases}
    for i, kind in enumerate(("word", "topic", "docnum", "browse")):
        shares[kind] = quarter + (1 if i < extra else 0)
    return shares


def build_mix(articles: list[BenchArticle], total: int = 400, seed: int = 1) -> Mix:
    """Draw a query mix of about ``total`` queries from the articles."""
    rng = random.Random(seed)
    shares = _shares(total)
    mix = Mix([], seed)
    corpus = FoldedCorpus(articles)
    titles = _known_items(articles, "title", shares["title"], rng, 0)
    spans = _known_items(articles, "span", shares["span"], rng, len(titles))
    for kind, items in (("title", titles), ("span", spans)):
        if len(items) < shares[kind]:
            mix.notes.append(f"only {len(items)} {kind} queries could be drawn")
        for base, text, target in items:
            unique = corpus.count(text) == 1
            for variant in VARIANTS:
                q = typed(text, variant)
                mix.queries.append(
                    Query(
                        kind,
                        q,
                        variant,
                        target=target,
                        base=base,
                        unique=unique,
                        changed=q != text or variant == "accented",
                    )
                )
    others = {
        "word": common_words(articles, rng, shares["word"]),
        "topic": two_word_topics(articles, rng, shares["topic"]),
        "docnum": document_numbers(articles, rng, shares["docnum"]),
    }
    for kind, texts in others.items():
        if len(texts) < shares[kind]:
            mix.notes.append(f"only {len(texts)} {kind} queries could be drawn")
        mix.queries += [Query(kind, text) for text in texts]
    for filters in browse_filters(articles, rng, shares["browse"]):
        mix.queries.append(Query("browse", "", **filters))
    return mix
