import random
import re

from search_app.engine.snippets import Highlight, highlight, match_spans, snippet

TEXT = (
    "Ngày 28/3/2008 UBND tỉnh Bắc Kạn quyết định đổi tên Sở Bưu chính - Viễn thông thành "
    "Sở Thông tin và Truyền thông tại Quyết định số 570/QĐ-UBND. Ủy ban nhân dân tỉnh giao "
    "nhiệm vụ quản lý nhà nước về báo chí; xuất bản; bưu chính; viễn thông."
)


def marked(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_marks_cover_exactly_the_stored_text_for_accented_and_bare_queries():
    for spec in (Highlight(frozenset({"bac", "kan"})), Highlight(frozenset({"bac", "kan"}))):
        for start, end in match_spans(TEXT, spec):
            assert TEXT[start:end] in ("Bắc", "Kạn")
    assert marked(highlight(TEXT, Highlight(frozenset({"bac", "kan"})))) == ["Bắc Kạn"]


def test_document_number_lights_up_whole_and_only_in_sequence():
    spec = Highlight(sequences=(("570", "qd", "ubnd"),))
    assert marked(highlight(TEXT, spec)) == ["570/QĐ-UBND"]


def test_everything_else_is_escaped():
    html = highlight('<script>alert("Bắc")</script>', Highlight(frozenset({"bac"})))
    assert "<script>" not in html
    assert html == "&lt;script&gt;alert(&quot;<mark>Bắc</mark>&quot;)&lt;/script&gt;"


def test_snippet_centres_on_the_matches():
    long_text = ("Lorem ipsum dolor. " * 60) + TEXT + (" Kết thúc." * 60)
    html = snippet(long_text, Highlight(frozenset({"bao", "chi"})))
    assert html.startswith("…") and html.endswith("…")
    assert marked(html) == ["báo chí"]


def test_snippet_without_matches_shows_the_start():
    html = snippet(TEXT, Highlight())
    assert html.startswith("Ngày 28/3/2008") and "<mark>" not in html


def test_a_match_longer_than_the_snippet_is_shown():
    words = [f"từ{i}" for i in range(80)]
    text = "Mở đầu. " + " ".join(words) + ". Kết thúc."
    spec = Highlight(sequences=(tuple(w.replace("ừ", "u") for w in words),))
    html = snippet(text, spec)
    assert "<mark>từ0" in html


def test_a_syllable_typed_with_diacritics_marks_that_spelling_only():
    text = "Sở Thông tin chuyển đổi số, số hóa hồ sơ; chuyên viên đội ngũ."
    assert marked(highlight(text, Highlight(frozenset({"số"})))) == ["số", "số"]
    assert marked(highlight(text, Highlight(frozenset({"so"})))) == ["Sở", "số", "số", "sơ"]
    assert marked(highlight("SỐ LIỆU", Highlight(frozenset({"số"})))) == ["SỐ"]


def test_a_word_marks_its_run_not_its_syllables_apart():
    text = "Sở Thông tin chuyển đổi số, số hóa hồ sơ; chuyên viên đội ngũ."
    spec = Highlight(frozenset({"số"}), (("chuyển", "đổi"),))
    assert marked(highlight(text, spec)) == ["chuyển đổi số", "số"]
    bare = Highlight(sequences=(("chuyen", "doi"),))
    assert marked(highlight(text, bare)) == ["chuyển đổi"]  # not "chuyên", not "đội"


def test_document_numbers_are_marked_whole_however_the_query_wrote_them():
    text = "Theo Quyết định số 570/QĐ-UBND và Quyết định 925/2006/QĐ-UBND của tỉnh."
    assert marked(highlight(text, Highlight(numbers=frozenset({"570/qd-ubnd"})))) == ["570/QĐ-UBND"]
    # 925/QĐ-UBND, typed without its year, finds and marks the number with its year.
    assert marked(highlight(text, Highlight(numbers=frozenset({"925/qd-ubnd"})))) == [
        "925/2006/QĐ-UBND"
    ]
    # "QĐ 570" is read as the document 570/QĐ: the whole number is marked, not "570/QĐ".
    both = Highlight(sequences=(("570", "qd"),), numbers=frozenset({"570/qd"}))
    assert marked(highlight(text, both)) == ["570/QĐ-UBND"]


def test_a_one_letter_syllable_is_marked_before_any_letter_may_follow():
    text = "Ô tô 2A chạy ở Hà Nội, y tế ổn định; tờ A4 và tô phở."
    spec = Highlight(frozenset({"o", "2", "to"}))  # 'o' is ô, ở, ổ ...; '2' of '2A' too
    assert marked(highlight(text, spec)) == ["Ô tô 2", "ở", "tờ", "tô"]
    # Without the one-letter syllables, the next letter is looked at first: the same marks.
    assert marked(highlight(text, Highlight(frozenset({"to", "ha", "noi"})))) == [
        "tô",
        "Hà Nội",
        "tờ",
        "tô",
    ]


def test_every_spelling_of_a_bare_unit_is_marked_wherever_it_starts():
    text = "Đà Nẵng, đà nẵng, ĐÀ NẴNG và Da Nang; Đànẵng không."
    assert marked(highlight(text, Highlight(sequences=(("da", "nang"),)))) == [
        "Đà Nẵng",
        "đà nẵng",
        "ĐÀ NẴNG",
        "Da Nang",
    ]


def test_many_bare_syllables_in_a_long_text_match_as_the_pattern_does():
    import search_app.engine.snippets as snippets

    tricky = (
        " Năm2012 BẮC kạn, bac_kan Bắc² 2012 20123 x2012 Đà Nẵng ĐÀ nẴNG thông-tin, tin. "
        "МОСКВА москва Ǆ ǅ Straße ﬁn Ωmega ＢＡＣ bắc\u0301 ba\u0300c "
    )
    text = (TEXT + tricky) * 6
    terms = {"bac", "kan", "nam", "2012", "da", "nang", "thong", "tin", "москва", "so", "ban"}
    spec = Highlight(frozenset(terms))
    assert snippets._run_units(spec) is not None

    units = snippets._run_units(spec)

    def pattern_matches(text):
        found = snippets._pattern(spec).finditer(text)
        return [(m.start(), m.end(), snippets._unit(text[m.start() : m.end()])) for m in found]

    def run_matches(text):
        return [(s, e, units.terms[k]) for s, e, k in snippets._run_matches(text, units)]

    def spans(matches):
        return [(start, end) for start, end, _ in matches]

    by_pattern = pattern_matches(text)
    assert run_matches(text) == by_pattern
    assert snippets.match_spans(text, spec) == spans(by_pattern)
    for short in (tricky, "Bắc Kạn", "", "—"):  # titles too, and texts with no run at all
        assert run_matches(short) == pattern_matches(short)
        assert snippets.match_spans(short, spec) == spans(pattern_matches(short))
    # Outside the BMP the runs give way to the pattern, with the same answer.
    wide = text + "𝐁ac"
    assert snippets._run_matches(wide, units) is None
    assert snippets.match_spans(wide, spec)[: len(by_pattern)] == spans(by_pattern)


def test_short_and_long_texts_runs_agree():
    import search_app.engine.snippets as snippets

    terms = {"bac", "kan", "nam", "2012", "da", "nang", "thong", "tin", "москва", "so", "ban"}
    units = snippets._run_units(Highlight(frozenset(terms)))
    rng = random.Random(3)
    pieces = [*TEXT.split(), "Năm2012", "BẮC", "Bắc²", "x2012", "ĐÀ", "nẴNG", "thông-tin,", "Ǆ"]
    pieces += ["МОСКВА", "москва", "ﬁn", "ＢＡＣ", "bắc\u0301", "ba\u0300c", "_", "—", "", "20123"]
    texts = ["", "—", "Bắc Kạn"]
    texts += [" ".join(rng.choices(pieces, k=rng.randint(1, 80))) for _ in range(300)]
    assert any(snippets._short_run_matches(text, units) for text in texts)
    for text in texts:
        starts, ends, which = (a.tolist() for a in snippets._run_arrays(text, units))
        assert snippets._short_run_matches(text, units) == [*zip(starts, ends, which, strict=True)]
    wide = "Bắc Kạn 𝐁ac"
    assert snippets._short_run_matches(wide, units) is None
    assert snippets._run_arrays(wide, units) is None


def test_a_long_texts_many_matches_give_the_snippet_one_at_a_time_gives(monkeypatch):
    import search_app.engine.snippets as snippets

    rng = random.Random(11)
    words = [*TEXT.split(), "Bắc", "Kạn", "bac", "kan", "thông", "tin", "năm", "2012", "và"]
    terms = frozenset({"bac", "kan", "thong", "tin", "nam", "2012", "so", "ban", "quyet"})
    spec = Highlight(terms)
    texts = [" ".join(rng.choices(words, k=rng.randint(100, 1500))) for _ in range(40)]
    assert all(len(t) >= snippets.SHORT_TEXT for t in texts)
    many = [len(snippets._long_run_arrays(t, spec)[0]) >= snippets.MANY_MATCHES for t in texts]
    assert 30 < sum(many) < len(texts)  # most texts match many times, some fewer
    at_once = [snippet(text, spec) for text in texts]
    monkeypatch.setattr(snippets, "AT_ONCE", 0)  # every window found one match at a time
    assert [snippet(text, spec) for text in texts] == at_once


def test_the_key_table_finds_each_key_and_nothing_else():
    import numpy as np

    from search_app.engine.snippets import _KeyTable

    rng = np.random.default_rng(5)
    for count in (1, 2, 30, 3000):
        keys = np.unique(rng.integers(0, 2**62, count, dtype=np.int64))
        table = _KeyTable.of(keys)
        others = rng.integers(0, 2**62, 5000, dtype=np.int64)
        asked = rng.permutation(np.concatenate([keys, others]))
        expected = np.array([np.searchsorted(keys, k) if k in keys else -1 for k in asked])
        assert np.array_equal(table.find(asked), expected)


def test_the_runs_tables_are_built_by_the_warm_up(archive_search):
    import search_app.engine.snippets as snippets

    snippets._run_tables.cache_clear()
    snippets._alphabet.cache_clear()
    archive_search.warm_up(index=False)
    assert snippets._run_tables.cache_info().currsize == 1
    assert snippets._alphabet.cache_info().currsize == 1


def test_the_reordered_alphabet_keeps_what_is_a_letter_a_digit_or_neither():
    import numpy as np

    import search_app.engine.snippets as snippets

    alphabet = snippets._alphabet()
    assert np.array_equal(np.sort(alphabet.table), np.arange(0x10000))
    for code in np.flatnonzero(alphabet.table != np.arange(0x10000)).tolist():
        before, after = chr(code), chr(int(alphabet.table[code]))
        assert (before.isalpha(), before.isdecimal()) == (after.isalpha(), after.isdecimal())
    for folded, spelled in snippets._SPELLINGS.items():
        low, high = alphabet.ranges[folded].split("-")
        assert sorted(snippets._reordered(spelled)) == [
            chr(c) for c in range(ord(low), ord(high) + 1)
        ]
    for text in ("Bắc Kạn 一 丂", "𝐁ắc \ud800 Kạn", ""):  # beyond the BMP, a lone surrogate
        assert len(snippets._reordered(text)) == len(text)
        assert snippets._reordered(snippets._reordered(text)) == text  # swaps only


def test_a_pattern_finds_the_same_in_either_alphabet():
    import search_app.engine.snippets as snippets

    text = (
        TEXT + " Năm2012 BẮC kạn, bac_kan Bắc² 20123 Đà Nẵng ĐÀ nẴNG ＢＡＣ bắc\u0301 "
        "ba\u0300c 一丂 Ǆ ǅ ẖ ǰ 𝐁ac 570/QĐ-UBND"
    )
    units = [("bac", "kan"), ("da",), ("nang",), ("2012",), ("bắc",), ("qd", "ubnd"), ("一",)]
    for chosen in (units, units[:3], [("bắc", "kạn"), ("2012",)]):
        found = [
            [(m.start(), m.end()) for m in snippets._Pattern(chosen, letters).finditer(text)]
            for letters in (snippets._Letters(False), snippets._Letters(True))
        ]
        assert found[0] == found[1] and found[0]


def test_a_pattern_asked_again_and_again_reads_texts_as_they_are(monkeypatch):
    import search_app.engine.snippets as snippets

    monkeypatch.setattr(snippets, "REPEATED", 3)
    reorder, reordered = snippets._reordered, []
    monkeypatch.setattr(snippets, "_reordered", lambda text: reordered.append(1) or reorder(text))
    pattern = snippets._Pattern([("bac", "kan"), ("so",)], snippets._Letters(reordered=True))
    found = [[m.span() for m in pattern.finditer(TEXT)] for _ in range(5)]
    assert len(reordered) == 3  # from the fourth text on, read as it is
    assert found[0] and all(spans == found[0] for spans in found)


def test_the_shorter_separators_between_syllables_match_as_the_general_one(monkeypatch):
    import search_app.engine.snippets as snippets

    text = "năm2012, năm 2012; 2012năm NĂM-2012 nam_2012 5G 5 g 5-G x5g bắc kạn bắc/kạn bắckạn"
    units = [("nam", "2012"), ("2012", "nam"), ("5", "g"), ("bắc", "kạn"), ("x5", "g")]

    def spans():
        return [
            [(m.start(), m.end()) for m in snippets._Pattern([unit], letters).finditer(text)]
            for unit in units
            for letters in (snippets._Letters(False), snippets._Letters(True))
        ]

    shorter = spans()
    monkeypatch.setattr(snippets, "_between", lambda before, after: snippets._BETWEEN)
    assert shorter == spans() and all(shorter[:8])
