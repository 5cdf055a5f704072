"""'Did you mean': diacritics restored from the archive's own vocabulary, and simple typos.

Counts are occurrences (the total term frequency over the archive), not document counts:
occurrences add up, so the count of a syllable written *without* diacritics is the folded
syllable's count minus its accented spellings' counts (``text`` holds every spelling folded,
``exact`` only the accented ones), and the spellings of one folded syllable compare fairly.

A query is restored run by run (words between operators, quotes and brackets), longest words
first: a multi-syllable word of the archive ("chuyển_đổi") or a phrase of the topic taxonomy or
the gazetteer ("chuyển đổi số", "bắc kạn") whose folded form matches consecutive syllables,
then single syllables. A reading is taken only when it is frequent (``MIN_COUNT``) and at least
``DOMINANCE`` times (a lone syllable: ``SYLLABLE_DOMINANCE``) as frequent as the next reading,
the unaccented one included: 'ban' (bàn, bán, bạn, bản, ban) stays as typed. The output keeps
the user's case syllable by syllable ('Bac Kan' -> 'Bắc Kạn', 'bac kan' -> 'bắc kạn'): we do
not capitalize names, because the index holds lowercase words only and the search ignores case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from indexer.arrays.lexicon import MappedCounts, MappedGroups, group_spellings, group_words
from indexer.text.vietnamese import SYLLABLE_RE, fold, has_diacritics
from search_app.query.keyboard import QueryPiece, decode_telex, split_query, with_case

DOMINANCE = 3.0  # a word's chosen reading is at least this many times as frequent as the next
SYLLABLE_DOMINANCE = 5.0  # a lone syllable needs more: bộ/bỏ, họ/hồ, số/sở are 3 to 1
MIN_COUNT = 3  # ... and occurs at least this often in the archive
MAX_WORD_SYLLABLES = 6  # longest word or phrase looked up ("ngày chuyển đổi số quốc gia")
TYPO_MIN_COUNT = 50  # a typo's correction must be a common syllable ...
TYPO_DOMINANCE = 10.0  # ... and far more common than any other one edit away
TYPO_MIN_LENGTH = 3  # shorter syllables have too many neighbours to guess from

# The archive's publishers and the bodies it reports on, most often named in full.
_INSTITUTIONS = (
    "Sở Thông tin và Truyền thông",
    "Bộ Thông tin và Truyền thông",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _phrase_keys(phrases: Iterable[str]) -> dict[str, str]:
    """{'chuyen doi so': 'chuyển_đổi_số'} for phrases of two or more syllables of letters."""
    found = {}
    for phrase in phrases:
        parts = [s.lower() for s in SYLLABLE_RE.findall(phrase)]
        if len(parts) > 1 and all(p.isalpha() for p in parts):
            found[" ".join(fold(p) for p in parts)] = "_".join(parts)
    return found


@dataclass
class Vocabulary:
    """What the archive says about spellings: the arrays of an index commit
    (``from_arrays``) or, in tests, term counts given by hand (``from_terms``)."""

    syllables: Mapping[str, dict[str, int]]  # folded -> {accented spelling: occurrences}
    words: Mapping[str, dict[str, int]]  # 'chuyen doi' -> {'chuyển_đổi': occurrences}
    folded: Mapping[str, int]  # folded syllable -> occurrences of all its spellings
    phrases: dict[str, str] = field(default_factory=dict)  # 'chuyen doi so' -> 'chuyển_đổi_số'

    @classmethod
    def from_terms(
        cls,
        text: Mapping[str, int],
        exact: Mapping[str, int],
        words: Mapping[str, int],
        phrases: Iterable[str] = (),
    ) -> Vocabulary:
        """Build from term -> occurrences of the index fields ``text``, ``exact``, ``words``."""
        vocabulary = cls(group_spellings(exact), group_words(words), dict(text))
        return vocabulary.with_phrases(phrases)

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, np.ndarray], phrases: Iterable[str] | None = None
    ) -> Vocabulary:
        """The vocabulary of an index commit, as its arrays hold it (``indexer.arrays``);
        ``phrases`` default to the topic and place names."""
        vocabulary = cls(
            MappedGroups(arrays, "vocab_spellings"),
            MappedGroups(arrays, "vocab_words"),
            MappedCounts(arrays, "vocab_folded"),
        )
        return vocabulary.with_phrases(domain_phrases() if phrases is None else phrases)

    def with_phrases(self, phrases: Iterable[str]) -> Vocabulary:
        """Add the curated phrases the archive has no word for, made of syllables it knows."""
        self.phrases = {
            key: phrase
            for key, phrase in _phrase_keys(phrases).items()
            if key not in self.words and all(map(self.knows, phrase.split("_")))
        }
        return self

    def knows(self, syllable: str) -> bool:
        """Whether the archive has this syllable: as written if accented, else in any spelling.

        An accented spelling must occur ``MIN_COUNT`` times: once or twice is more often a typo.
        """
        lower = syllable.lower()
        folded = fold(lower)
        if lower == folded:
            return self.folded.get(folded, 0) > 0
        return self.syllables.get(folded, {}).get(lower, 0) >= MIN_COUNT

    def syllable_readings(self, folded: str) -> dict[str, int]:
        """Spellings of a folded syllable and their occurrences, the unaccented one included."""
        readings = dict(self.syllables.get(folded, {}))
        plain = self.folded.get(folded, 0) - sum(readings.values())
        if plain > 0:
            readings[folded] = plain
        return readings

    def word_readings(self, key: str) -> dict[str, int]:
        """Spellings ('chuyển_đổi') of folded syllables ('chuyen doi') and their occurrences."""
        readings = self.words.get(key)
        if readings:
            return readings
        phrase = self.phrases.get(key)
        return {phrase: MIN_COUNT} if phrase else {}  # a curated phrase needs no count


@cache
def domain_phrases() -> tuple[str, ...]:
    """Topic names and key phrases and province names: what users search for most."""
    # Imported on first use: only this needs the gazetteer's package data.
    from indexer.metadata.gazetteer import all_provinces
    from indexer.metadata.topics import all_topics

    found: list[str] = []
    for topic in all_topics():
        found.append(topic.label)
        found.extend(phrase for phrase, _ in topic.phrases if phrase == phrase.lower())
    found.extend(province.name for province in all_provinces())
    return (*found, *_INSTITUTIONS)


# --- Restoring diacritics ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Syllable:
    """A syllable of the query: pieces[piece].text[start:end]."""

    piece: int
    start: int
    end: int
    text: str
    fixed: bool = False  # a typo's fix: ours, not typed

    @property
    def free(self) -> bool:
        """Typed without diacritics, in a case we can carry over: ours to restore."""
        text = self.text
        return text.isascii() and (text.islower() or text.istitle() or len(text) == 1)

    def as_written(self, completing: bool) -> bool:
        """Free, but to be left as typed: in a query with diacritics (``completing``), a
        syllable typed without them was meant so, unless it is a typo's fix."""
        return completing and self.free and not self.fixed


def _runs(pieces: list[QueryPiece]) -> Iterator[list[_Syllable]]:
    """Runs of syllables that may form words together: operators, quotes, '-x' end a run."""
    run: list[_Syllable] = []
    previous = ""
    for i, piece in enumerate(pieces):
        if piece.kind == "space":
            continue
        excluded, previous = previous == "-", piece.text
        if piece.kind != "word" or any(c.isdigit() for c in piece.text):
            yield run
            run = []
            continue
        for match in SYLLABLE_RE.finditer(piece.text):
            syllable = _Syllable(i, match.start(), match.end(), match.group(0))
            if syllable.free or has_diacritics(syllable.text):
                run.append(syllable)
            else:  # UBND, CNTT, iPhone: not ours to read
                yield run
                run = []
        if excluded:  # '-bac kan' excludes 'bac' alone: it makes no word with 'kan'
            yield run
            run = []
    yield run


def _dominant(readings: Mapping[str, int], dominance: float = DOMINANCE) -> str | None:
    """The reading that clearly beats all others, if there is one."""
    if not readings:
        return None
    ranked = sorted(readings.values(), reverse=True)
    best = max(readings, key=readings.__getitem__)
    runner_up = ranked[1] if len(ranked) > 1 else 0
    return best if ranked[0] >= MIN_COUNT and ranked[0] >= dominance * runner_up else None


def _word_reading(
    run: list[_Syllable], vocabulary: Vocabulary, completing: bool
) -> list[str] | None:
    """The dominant spelling of syllables read as one word, agreeing with accents typed
    (``completing``: only a word typed with some of them)."""
    if not any(s.free for s in run) or all(s.as_written(completing) for s in run):
        return None
    readings = vocabulary.word_readings(" ".join(fold(s.text) for s in run))
    typed = [None if s.free else s.text.lower() for s in run]
    agreeing = {
        spelling: count
        for spelling, count in readings.items()
        if all(t is None or t == part for t, part in zip(typed, spelling.split("_"), strict=True))
    }
    best = _dominant(agreeing)
    return best.split("_") if best else None


def _restore_run(
    run: list[_Syllable], vocabulary: Vocabulary, completing: bool
) -> dict[_Syllable, str]:
    """New spellings for the syllables of a run: the most syllables covered by words first;
    ``completing`` (the query has diacritics): only words typed with some of them."""
    n = len(run)
    # best[i]: (syllables covered by words, -pieces) for run[:i]; step[i]: the last piece
    best: list[tuple[int, int]] = [(0, 0)] + [(-1, 0)] * n
    step: list[tuple[int, list[str] | None]] = [(0, None)] * (n + 1)
    for i in range(n):
        covered, pieces = best[i]
        if (covered, pieces - 1) > best[i + 1]:
            best[i + 1], step[i + 1] = (covered, pieces - 1), (1, None)
        for length in range(2, min(MAX_WORD_SYLLABLES, n - i) + 1):
            spelling = _word_reading(run[i : i + length], vocabulary, completing)
            if spelling and (covered + length, pieces - 1) > best[i + length]:
                best[i + length] = (covered + length, pieces - 1)
                step[i + length] = (length, spelling)
    restored: dict[_Syllable, str] = {}
    end = n
    while end:
        length, spelling = step[end]
        for offset, syllable in enumerate(run[end - length : end]):
            if spelling is not None:
                restored[syllable] = spelling[offset]
            elif syllable.free and not syllable.as_written(completing):
                readings = vocabulary.syllable_readings(syllable.text.lower())
                single = _dominant(readings, SYLLABLE_DOMINANCE)
                if single:
                    restored[syllable] = single
        end -= length
    return restored


def _rewrite(pieces: list[QueryPiece], changes: dict[_Syllable, str]) -> str | None:
    """The query with the changed syllables, in the case typed; None when nothing changed."""
    texts = [piece.text for piece in pieces]
    for syllable in sorted(changes, key=lambda s: (s.piece, -s.start)):
        new = with_case(changes[syllable], syllable.text)
        text = texts[syllable.piece]
        texts[syllable.piece] = text[: syllable.start] + new + text[syllable.end :]
    result = "".join(texts)
    return None if result == "".join(piece.text for piece in pieces) else result


def suggest(query: str, vocabulary: Vocabulary) -> str | None:
    """The query with diacritics restored where the archive makes one reading clear, or None.

    In a query typed with diacritics, syllables typed without them are taken as written
    ('tăng cao do xăng dầu': do, not độ), except in a word typed with some ('Bắc Kan')."""
    return _repaired(query, vocabulary, fix=False, restore=True)


def repair(query: str, vocabulary: Vocabulary) -> str | None:
    """ "Did you mean": the query with its typos fixed (``correct``) and its diacritics
    restored (``suggest``, a fix restored as if typed bare), or None."""
    return _repaired(query, vocabulary, fix=True, restore=True)


def _repaired(query: str, vocabulary: Vocabulary, fix: bool, restore: bool) -> str | None:
    pieces = split_query(query)
    runs = list(_runs(pieces))
    completing = any(has_diacritics(s.text) for run in runs for s in run)
    changes: dict[_Syllable, str] = {}
    for run in runs:
        if fix:
            run = [_fixed(syllable, vocabulary) for syllable in run]
            changes.update({syllable: syllable.text for syllable in run if syllable.fixed})
        if restore:
            changes.update(_restore_run(run, vocabulary, completing))
    return _rewrite(pieces, changes)


# --- Typos --------------------------------------------------------------------------------------


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    found |= {a + c + b for a, b in splits for c in _LETTERS}
    found.discard(word)
    return found


def _correction(syllable: _Syllable, vocabulary: Vocabulary) -> str | None:
    """The one common syllable a typo unknown to the archive most likely meant."""
    typed = syllable.text.lower()
    if not syllable.free or len(typed) < TYPO_MIN_LENGTH or vocabulary.folded.get(typed):
        return None
    telex = decode_telex(typed)
    if typed.startswith("dd") or (telex and telex != typed and vocabulary.knows(telex)):
        return None  # Telex ('ddien' is a half-typed điện): the keyboard's business
    counts = sorted(
        ((vocabulary.folded[c], c) for c in _edits(typed) if c in vocabulary.folded),
        reverse=True,
    )
    if not counts or counts[0][0] < TYPO_MIN_COUNT:
        return None
    if len(counts) > 1 and counts[0][0] < TYPO_DOMINANCE * counts[1][0]:
        return None
    return counts[0][1]


def _fixed(syllable: _Syllable, vocabulary: Vocabulary) -> _Syllable:
    """The syllable, or its typo's fix in the case typed."""
    fix = _correction(syllable, vocabulary)
    if not fix:
        return syllable
    return replace(syllable, text=with_case(fix, syllable.text), fixed=True)


def correct(query: str, vocabulary: Vocabulary) -> str | None:
    """The query with syllables unknown to the archive replaced by their one likely fix, or None.

    Only plain (unaccented) syllables are corrected, to plain syllables (``repair`` restores
    their diacritics too).
    """
    return _repaired(query, vocabulary, fix=True, restore=False)
