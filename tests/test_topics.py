"""The topic taxonomy and how articles get topics: by what they are mainly about."""

from __future__ import annotations

import pytest

from indexer.metadata import topics
from indexer.metadata.topics import (
    TopicsError,
    all_topics,
    assign_topics,
    score_topics,
    topic_by_slug,
)
from indexer.text.vietnamese import slugify

REQUIRED = {
    "Báo chí",
    "Xuất bản",
    "Bưu chính",
    "Viễn thông",
    "Công nghệ thông tin",
    "Chuyển đổi số",
    "An toàn thông tin",
    "Phát thanh - Truyền hình",
    "Thông tin cơ sở và đối ngoại",
    "Tần số vô tuyến điện",
}

ATTT_DRILL = (
    "Diễn tập ứng cứu sự cố an toàn thông tin mạng năm 2023",
    "Sáng 12/10, Sở Thông tin và Truyền thông tổ chức diễn tập ứng cứu sự cố an toàn thông tin "
    "mạng cho các cơ quan nhà nước trên địa bàn tỉnh.\n"
    "Tình huống giả định là một cuộc tấn công mạng bằng mã độc tống tiền vào cổng dịch vụ công. "
    "Các đội ứng cứu phải phát hiện, cô lập máy chủ bị nhiễm và khôi phục dữ liệu.\n"
    "Kết thúc diễn tập, lãnh đạo Sở đề nghị các đơn vị rà soát lỗ hổng bảo mật và chủ động cung "
    "cấp thông tin cho báo chí khi xảy ra sự cố.",
)
CDS = (
    "Xã Vi Hương hoàn thành giai đoạn 1 thí điểm chuyển đổi số",
    "Sau một năm thí điểm chuyển đổi số, 100% hộ gia đình xã Vi Hương đã có điện thoại thông minh, "
    "nhiều hộ bán nông sản trên sàn thương mại điện tử.\n"
    "Tổ công nghệ số cộng đồng của xã hướng dẫn người dân cài đặt VNeID, thanh toán không dùng "
    "tiền mặt và sử dụng các nền tảng số phục vụ sản xuất.",
)
FOOTBALL = (
    "Hà Nội FC thắng đậm trên sân Hàng Đẫy",
    "Ngay phút thứ 10, tiền đạo Văn Quyết mở tỷ số bằng cú đánh đầu cận thành. Hiệp hai, đội "
    "khách dâng cao tấn công nhưng liên tục bỏ lỡ cơ hội. Trận đấu được truyền hình trực tiếp "
    "trên kênh thể thao. Sau trận, huấn luyện viên trả lời họp báo rằng cả đội đã chơi "
    "đúng chiến thuật và hướng tới trận gặp Hải Phòng cuối tuần này.",
)
RECIPE = (
    "Cách nấu canh chua cá lóc miền Tây",
    "Cá lóc làm sạch, cắt khúc vừa ăn. Phi thơm hành tỏi, cho me chua vào nấu lấy nước. "
    "Thả cá vào nồi, thêm dứa, cà chua, đậu bắp và giá đỗ, nêm nước mắm cho vừa miệng.",
)
ENUMERATION = (
    "Bưu điện tỉnh mở thêm 20 điểm phục vụ hành chính công",
    "Sở Thông tin và Truyền thông có chức năng quản lý nhà nước về: báo chí; xuất bản; bưu chính; "
    "viễn thông; tần số vô tuyến điện; công nghệ thông tin; phát thanh, truyền hình; thông tin "
    "cơ sở; thông tin đối ngoại.\n"
    "Năm nay, Bưu điện tỉnh mở thêm 20 điểm tiếp nhận hồ sơ hành chính công qua dịch vụ bưu "
    "chính công ích tại các bưu cục huyện, giúp người dân nhận kết quả qua bưu gửi tại nhà.",
)


def test_taxonomy():
    labels = [t.label for t in all_topics()]
    assert set(labels) >= REQUIRED
    assert len(set(labels)) == len(labels)
    for topic in all_topics():
        assert topic.slug == slugify(topic.label)
        assert topic.phrases
        assert all(weight > 0 for _phrase, weight in topic.phrases)
        assert topic_by_slug(topic.slug) == topic
    assert topic_by_slug("khong-co") is None


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (ATTT_DRILL, ["An toàn thông tin"]),  # one passing mention of báo chí does not count
        (FOOTBALL, []),
        (RECIPE, []),
        (ENUMERATION, ["Bưu chính"]),  # the list of fields gives nothing
    ],
)
def test_assign_topics(article, expected):
    assert assign_topics(*article) == expected


def test_chuyen_doi_so_article():
    assert assign_topics(*CDS)[0] == "Chuyển đổi số"


def test_a_list_of_fields_alone_gives_no_topic():
    body = ENUMERATION[1].split("\n")[0]
    assert assign_topics("Chức năng, nhiệm vụ của Sở", body) == ["Hoạt động của ngành"]


def test_title_outweighs_body():
    body = (
        "Hội nghị có sự tham dự của đại diện các sở, ngành và doanh nghiệp trên địa bàn tỉnh. " * 5
    )
    assert assign_topics("Triển khai mạng 5G và hạ tầng viễn thông", body) == ["Viễn thông"]


def test_at_most_three_topics_best_first():
    body = (
        "Báo chí, xuất bản phát triển. Bưu chính, chuyển phát tăng trưởng mạnh. "
        "Hạ tầng viễn thông, trạm BTS được mở rộng. "
        "Công nghệ thông tin, phần mềm được ứng dụng. "
        "Chuyển đổi số đạt kết quả. An toàn thông tin được bảo đảm. "
        "Phát thanh, truyền hình đổi mới. Tần số vô tuyến điện được quản lý chặt chẽ."
    )
    assigned = assign_topics("Tổng kết năm", body)
    assert 1 <= len(assigned) <= 3
    scores = dict(score_topics("Tổng kết năm", body))
    assert [scores[label] for label in assigned] == sorted(
        (scores[label] for label in assigned), reverse=True
    )


def test_whole_syllables_and_case():
    assert score_topics("", "Các mã CNTTX, ATTTs và BTSx không phải viết tắt.") == []
    assert score_topics("", "căn cước công dân") == []  # "cước" is not a phone charge here
    assert score_topics("", "cntt viết thường") == []  # abbreviations match as written
    assert dict(score_topics("BÁO CHÍ", ""))["Báo chí"] > 0  # phrases match in any case


def test_industry_events_need_industry_context():
    body = "Lễ trao huân chương, bằng khen và kỷ niệm ngày truyền thống ngành y tế tỉnh."
    assert assign_topics("Ngành y tế đón nhận Huân chương Lao động", body) == []
    body = body.replace("ngành y tế", "ngành thông tin và truyền thông")
    assert assign_topics("Sở đón nhận Huân chương Lao động", body) == ["Hoạt động của ngành"]


def test_longest_phrase_wins():
    scores = dict(score_topics("", "Tỉnh tổ chức hội nghị truyền hình trực tuyến với 10 huyện."))
    assert "Phát thanh - Truyền hình" not in scores


def test_malformed_data_file_raises(tmp_path, monkeypatch):
    bad = tmp_path / "topics.toml"
    bad.write_text('[[topic]]\nslug = "x"\nlabel = "X"\n[topic.phrases]\n"x" = -1\n')
    monkeypatch.setattr(topics, "TOPICS_PATH", bad)
    topics._matcher.cache_clear()
    try:
        with pytest.raises(TopicsError, match="bad weight"):
            all_topics()
    finally:
        monkeypatch.undo()
        topics._matcher.cache_clear()
    assert all_topics()
