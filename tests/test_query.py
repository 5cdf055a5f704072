import pytest

from search_app.query.language import And, DocNumber, Not, Or, Phrase, Term, parse_query


def words(*texts):
    return tuple(Term(t) for t in texts)


@pytest.mark.parametrize(
    ("typed", "root"),
    [
        ("Bắc Kạn", And(words("bắc", "kạn"))),
        ("bac kan", And(words("bac", "kan"))),
        ('"chuyển đổi số"', Phrase(words("chuyển", "đổi", "số"))),
        ("viễn thông -bưu", And((*words("viễn", "thông"), Not(Term("bưu"))))),
        ('-"Bắc Kạn" số', And((Not(Phrase(words("bắc", "kạn"))), Term("số")))),
        ("Bắc Kạn OR Bắc Giang", Or((And(words("bắc", "kạn")), And(words("bắc", "giang"))))),
        ("số (kạn OR giang)", And((Term("số"), Or(words("kạn", "giang"))))),
        ("hoà bình", And(words("hòa", "bình"))),  # old tone placement
        ("phát thanh - truyền hình", And(words("phát", "thanh", "truyền", "hình"))),
        ("KT-XH", Phrase(words("kt", "xh"))),
    ],
)
def test_parse(typed, root):
    assert parse_query(typed).root == root


@pytest.mark.parametrize("typed", ["570/QĐ-UBND", "570/QD-UBND", "570/qđ-ubnd", '"570/QĐ-UBND"'])
def test_document_numbers(typed):
    root = parse_query(typed).root
    assert isinstance(root, DocNumber)
    assert root.number.query_term() == "570/qd-ubnd"


@pytest.mark.parametrize(
    ("typed", "notice"),
    [
        ('"chuyển đổi số', "ngoặc kép"),
        ("(Bắc Kạn", "ngoặc đơn"),
        ("Bắc Kạn)", "ngoặc đóng"),
        ("OR Bắc Kạn", "OR"),
        ("Bắc Kạn OR", "OR"),
        ("-bóng", "loại trừ"),
        ("x " * 400, "quá"),
        ("chuy*", "ký tự đại diện"),
        ("*doi so", "ký tự đại diện"),
        ("province:bac-kan", "cú pháp trường"),
        ("intitle:chuyen doi", "cú pháp trường"),
    ],
)
def test_malformed_queries_are_answered_with_a_notice(typed, notice):
    parsed = parse_query(typed)
    assert parsed.root is not None
    assert any(notice in n for n in parsed.notices)


@pytest.mark.parametrize(
    "typed", ["tại sao?", "lúc 9:15", "http://stttt.backan.gov.vn", "Thông báo:Bắc", "570/QĐ-UBND"]
)
def test_ordinary_punctuation_gets_no_notice(typed):
    parsed = parse_query(typed)
    assert parsed.root is not None and parsed.notices == []


@pytest.mark.parametrize("typed", ["", "   ", "OR", "-", '""', "()", "|||", "\x00\x07"])
def test_nothing_to_search(typed):
    assert parse_query(typed).root is None


def test_positive_terms_skip_excluded_words():
    parsed = parse_query('chuyển đổi -số "Bắc Kạn"')
    assert [t.text for t in parsed.positive_terms()] == ["chuyển", "đổi", "bắc", "kạn"]
    assert not parsed.is_plain
    assert parse_query('chuyển "đổi số"').is_plain
