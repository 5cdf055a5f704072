"""Provinces as readers know them since the 2025 merger: the facet, the filter, the hits, the
article, the exports, and the hints for a query or filter that names a province of today."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest

from indexer.metadata.current_provinces import current_province_for
from search_app.results import SearchRequest
from search_app.web.params import parse_request, search_url, toggle_url


@pytest.fixture
def seeds(seeds_app):
    """A test client of the app over the five seed pages."""
    return seeds_app.test_client()


def exported_ids(client, query: str) -> list[str]:
    """The ids of every result of a search, from its JSON Lines export."""
    text = client.get(f"/search.jsonl?{query}").get_data(as_text=True)
    return sorted(json.loads(line)["id"] for line in text.splitlines())


def facet(data: dict, name: str) -> dict[str, tuple[str, int, bool]]:
    return {v["value"]: (v["label"], v["count"], v["selected"]) for v in data["facets"][name]}


def test_the_seeds_by_province_of_today(seeds):
    data = seeds.get("/search.json").get_json()
    assert data["facets"]["current_province"] == [
        {"value": "thai-nguyen", "label": "Thái Nguyên", "count": 3, "selected": False},
        {"value": "bac-ninh", "label": "Bắc Ninh", "count": 1, "selected": False},
        {"value": "dien-bien", "label": "Điện Biên", "count": 1, "selected": False},
    ]
    # The province as published stays as written.
    assert facet(data, "province") == {
        "bac-kan": ("Bắc Kạn", 3, False),
        "bac-giang": ("Bắc Giang", 1, False),
        "dien-bien": ("Điện Biên", 1, False),
    }
    pairs = {(h["province"], h["current_province"]) for h in data["hits"]}
    assert pairs == {
        ("Bắc Kạn", "Thái Nguyên"), ("Bắc Giang", "Bắc Ninh"), ("Điện Biên", "Điện Biên"),
    }  # fmt: skip


def test_filtering_by_the_province_of_today_finds_its_former_provinces(seeds):
    data = seeds.get("/search.json?current_province=thai-nguyen").get_json()
    published = seeds.get("/search.json?province=bac-kan").get_json()
    assert data["total"] == published["total"] == 3
    ids = exported_ids(seeds, "current_province=thai-nguyen")
    assert len(ids) == 3 and ids == exported_ids(seeds, "province=bac-kan")
    assert facet(data, "current_province")["thai-nguyen"] == ("Thái Nguyên", 3, True)
    # Counted by the other facets: what adding a value would give (values combine with OR).
    assert facet(data, "current_province")["bac-ninh"] == ("Bắc Ninh", 1, False)
    assert facet(data, "province") == {"bac-kan": ("Bắc Kạn", 3, False)}


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("current_province=thai-nguyen&current_province=dien-bien", 4),
        ("current_province=thai-nguyen&year=2021", 1),
        ("current_province=thai-nguyen&province=bac-kan", 3),
        ("current_province=thai-nguyen&province=bac-giang", 0),
        ("current_province=bac-ninh&q=xay+dung+va+phat+trien", 1),
        ("current_province=bac-kan", 0),  # a former province is no unit of today
        ("current_province=nowhere", 0),
    ],
)
def test_the_filter_is_repeatable_and_combines_like_the_others(seeds, query, total):
    response = seeds.get(f"/search.json?{query}")
    assert response.status_code == 200
    assert response.get_json()["total"] == total
    assert seeds.get(f"/search?{query}").status_code == 200


def test_counts_of_today_add_up_the_provinces_as_published(archive_search):
    """Over the fixture archive (seeds, our pages and exports): each unit of today counts the
    articles of the provinces it took in, and national or unknown ones count in none."""
    page = archive_search.search(SearchRequest())
    expected: Counter[str] = Counter()
    for value in page.facets["province"].values:
        if (unit := current_province_for(value.value)) is not None:
            expected[unit.slug] += value.count
    today = {v.value: v.count for v in page.facets["current_province"].values}
    assert today == dict(expected) and len(today) > 3
    national = page.total - sum(v.count for v in page.facets["province"].values)
    assert national > 0
    hits = list(archive_search.export(SearchRequest()))
    assert sum(hit.current_province is None for hit in hits) >= national
    for hit in hits:
        unit = current_province_for(hit.province)
        assert hit.current_province == (unit.name if unit else None)


def test_the_article_says_what_its_province_is_part_of_today(seeds):
    data = seeds.get("/search.json").get_json()
    by_province = {h["province"]: h["id"] for h in data["hits"]}
    article = seeds.get(f"/article/{by_province['Bắc Kạn']}?format=json").get_json()
    assert (article["province"], article["current_province"]) == ("Bắc Kạn", "Thái Nguyên")
    assert article["paragraphs"] and article["title"]
    page = seeds.get(f"/article/{by_province['Bắc Kạn']}").get_data(as_text=True)
    assert "<dd>Bắc Kạn (nay thuộc tỉnh Thái Nguyên)</dd>" in page
    page = seeds.get(f"/article/{by_province['Bắc Giang']}").get_data(as_text=True)
    assert "<dd>Bắc Giang (nay thuộc tỉnh Bắc Ninh)</dd>" in page
    page = seeds.get(f"/article/{by_province['Điện Biên']}").get_data(as_text=True)
    assert "<dd>Điện Biên</dd>" in page  # unchanged: nothing to add
    missing = seeds.get("/article/nowhere?format=json")
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_exports_carry_the_province_of_today(seeds):
    text = seeds.get("/search.csv?current_province=bac-ninh").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["province"], r["current_province"]) for r in rows] == [("Bắc Giang", "Bắc Ninh")]
    lines = seeds.get("/search.jsonl?current_province=dien-bien").get_data(as_text=True)
    assert [json.loads(line)["current_province"] for line in lines.splitlines()] == ["Điện Biên"]


def test_the_page_lists_the_facet_first_and_the_former_provinces_under_a_choice(seeds):
    page = seeds.get("/search").get_data(as_text=True)
    titles = re.findall(r'<h3 id="facet-([a-z_]+)">([^<]*)</h3>', page)
    assert titles[:2] == [
        ("current_province", "Tỉnh, thành phố (hiện nay)"),
        ("province", "Tỉnh, thành phố (khi đăng bài)"),
    ]
    assert 'class="former"' not in page  # listed only under a chosen value
    page = seeds.get("/search?current_province=thai-nguyen").get_data(as_text=True)
    former = page[page.index('<ul class="former"') : page.index("</ul>", page.index("former"))]
    assert 'aria-label="Các tỉnh cũ hợp thành Thái Nguyên"' in former
    assert re.findall(r'<span class="label">([^<]*)</span>', former) == ["Bắc Kạn"]
    assert 'href="/search?current_province=thai-nguyen&amp;province=bac-kan"' in former
    # Điện Biên took in nothing: nothing to list under it.
    page = seeds.get("/search?current_province=dien-bien").get_data(as_text=True)
    assert 'class="former"' not in page


def test_unchoosing_a_province_of_today_drops_its_former_provinces():
    req = parse_request(
        url_args(current_province=["thai-nguyen", "bac-ninh"], province=["bac-kan", "ha-noi"])
    )
    assert req.current_province == ("thai-nguyen", "bac-ninh")
    url = toggle_url(req, "current_province", "thai-nguyen")
    assert url == "/search?current_province=bac-ninh&province=ha-noi"
    assert toggle_url(req, "current_province", "dien-bien") == search_url(
        req, current_province=["thai-nguyen", "bac-ninh", "dien-bien"]
    )


def url_args(**values: list[str]):
    """URL parameters as Flask reads them, each name with its values."""
    from werkzeug.datastructures import MultiDict

    return MultiDict([(k, v) for k, vs in values.items() for v in vs])


def test_a_query_naming_a_province_of_today_says_what_it_leaves_out(seeds):
    data = seeds.get("/search.json?q=chuyển đổi số tỉnh Thái Nguyên").get_json()
    assert data["total"] == 0  # the words are matched as words: no article says them
    assert data["province_hints"] == [
        {
            "current_province": "thai-nguyen",
            "name": "Thái Nguyên",
            "took_in": ["Bắc Kạn"],
            "named_by": "query",
            "query": "chuyển đổi số",
            "expanded": "chuyển đổi số (Thái Nguyên OR Bắc Kạn)",
        }
    ]
    # Both ways the hint offers find the Bắc Kạn pages.
    assert seeds.get("/search.json?q=chuyển đổi số&current_province=thai-nguyen").json["total"]
    expanded = seeds.get("/search.json?q=chuyển đổi số (Thái Nguyên OR Bắc Kạn)").get_json()
    assert expanded["total"] and not expanded["province_hints"]  # already named
    page = seeds.get("/search?q=chuyen+doi+so+thai+nguyen").get_data(as_text=True)
    assert 'class="notice province-hint"' in page
    assert (
        'href="/search?q=chuyen+doi+so&amp;current_province=thai-nguyen">'
        "Lọc theo Thái Nguyên (hiện nay) với «chuyen doi so»</a>"
    ) in page


@pytest.mark.parametrize(
    ("query", "rest", "took_in"),
    [
        ("chuyen doi so TP.HCM", "chuyen doi so", ["Bình Dương", "Bà Rịa - Vũng Tàu"]),
        ("Sài Gòn 2024", "2024", ["Bình Dương", "Bà Rịa - Vũng Tàu"]),
        ("thành phố Hồ Chí Minh", "", ["Bình Dương", "Bà Rịa - Vũng Tàu"]),
        ("ĐẮK LẮK Phú Yên", None, None),  # already named
        ("Lâm Đồng Đắk Nông", "Đắk Nông", ["Đắk Nông", "Bình Thuận"]),
        ("ha nam ninh binh", "ha nam", ["Hà Nam", "Nam Định"]),
    ],
)
def test_the_name_of_a_province_of_today_in_any_spelling(seeds, query, rest, took_in):
    hints = seeds.get("/search.json", query_string={"q": query}).json["province_hints"]
    if rest is None:
        assert hints == []
    else:
        assert [(h["query"], sorted(h["took_in"])) for h in hints] == [(rest, sorted(took_in))]


@pytest.mark.parametrize(
    "query",
    ["Điện Biên", "chuyển đổi số", '"Thái Nguyên"', "chuyển đổi số -Thái Nguyên", "nguyên thái"],
)
def test_no_hint_where_nothing_is_left_out(seeds, query):
    assert seeds.get("/search.json", query_string={"q": query}).json["province_hints"] == []


def test_a_filter_on_the_province_as_published_names_what_it_leaves_out(seeds):
    data = seeds.get("/search.json?province=thai-nguyen").get_json()
    assert data["total"] == 0
    assert [(h["named_by"], h["took_in"]) for h in data["province_hints"]] == [
        ("filter", ["Bắc Kạn"])
    ]
    page = seeds.get("/search?province=thai-nguyen").get_data(as_text=True)
    assert 'href="/search?current_province=thai-nguyen">Lọc theo Thái Nguyên (hiện nay)' in page
    # Not for a former province, nor for a unit chosen as well, nor when nothing is left out.
    for query in (
        "province=bac-kan",
        "province=thai-nguyen&current_province=thai-nguyen",
        "province=thai-nguyen&province=bac-kan",
        "province=thai-nguyen&year=2023&q=hội nghị",
    ):
        assert seeds.get(f"/search.json?{query}").json["province_hints"] == [], query
