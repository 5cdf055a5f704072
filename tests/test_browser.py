"""The app in a real browser: Debian's chromium, headless, driven by Selenium.

`make test` installs chromium and chromium-driver; elsewhere this module skips when they are
missing (unless REQUIRE_BROWSER_TEST=1, as in CI). Screenshots of every step are saved under
the test's tmp_path.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from werkzeug.serving import make_server

from indexer.text.vietnamese import fold

CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    "--lang=vi",
]
WAIT = 15  # seconds for a page to load


def _missing_browser() -> str | None:
    if shutil.which("chromium") is None:
        return "chromium is not installed (make test installs it: apt-get install chromium)"
    if not os.access(CHROMEDRIVER, os.X_OK):
        return f"{CHROMEDRIVER} is missing (apt-get install chromium-driver)"
    return None


def _served(app) -> Iterator[str]:
    """An app served by a real WSGI server on 127.0.0.1 (a free port) in a thread."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:
    """The app over the fixture index, served."""
    yield from _served(app)


@pytest.fixture(scope="module")
def seeds_server(seeds_app) -> Iterator[str]:
    """The app over an index of the seeds alone, served."""
    yield from _served(seeds_app)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless chromium with a new empty profile."""
    reason = _missing_browser()
    if reason:
        if os.environ.get("REQUIRE_BROWSER_TEST") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


class Steps:
    """Numbered full-page screenshots of a scenario."""

    def __init__(self, driver, folder: Path) -> None:
        self.driver, self.folder, self.number = driver, folder, 0

    def shot(self, name: str) -> Path:
        """Save the whole page (not only the window) as NN-name.png."""
        self.number += 1
        path = self.folder / f"{self.number:02d}-{name}.png"
        width = self.driver.execute_script("return window.innerWidth")
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
        )
        try:
            self.driver.save_screenshot(str(path))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert path.stat().st_size > 1000
        return path


def _wait_for_url(driver, fragment: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(lambda d: fragment in d.current_url)


def _check_feed_link(driver, server: str, path: str) -> None:
    """The page shows "Theo dõi (RSS/Atom)", its head links the same feed, and the link
    fetches an Atom feed that parses."""
    import feedparser
    from selenium.webdriver.common.by import By

    link = driver.find_element(By.LINK_TEXT, "Theo dõi (RSS/Atom)")
    assert link.is_displayed() and link.size["height"] > 0
    href = link.get_attribute("href")  # absolute, as the browser resolved it
    assert href == server + path
    head = driver.find_element(By.CSS_SELECTOR, 'head link[rel="alternate"]')
    assert head.get_attribute("type") == "application/atom+xml"
    assert head.get_attribute("href") == href
    with urlopen(href, timeout=WAIT) as response:
        assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = feedparser.parse(response.read())
    assert not feed.bozo and feed.version == "atom10" and feed.entries
    assert feed.feed.title == head.get_attribute("title")


def _csp_violations(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or entry["level"] == "SEVERE"
    ]


def test_search_facet_and_article_in_a_browser(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    steps = Steps(browser, tmp_path)
    browser.get(server + "/search")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tất cả bài viết"
    steps.shot("search-page")

    # The skip link is the first thing the keyboard reaches, and it shows itself.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip" and focused.rect["x"] >= 0

    box = browser.find_element(By.ID, "q")
    box.send_keys("chuyen doi so")
    box.send_keys(Keys.ENTER)
    _wait_for_url(browser, "q=chuyen+doi+so")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kết quả cho “chuyen doi so”"
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit mark")
    assert marks, "no highlighted words"
    assert {word for mark in marks for word in fold(mark.text).split()} <= {"chuyen", "doi", "so"}
    assert any(mark.text != fold(mark.text) for mark in marks)  # found with diacritics
    steps.shot("results")

    facet = browser.find_element(
        By.XPATH,
        "//aside[@id='facets']//a[@class='toggle'][.//span[@class='label' and text()='Bắc Kạn']]",
    )
    count = int(facet.find_element(By.CLASS_NAME, "count").text)
    facet.click()
    _wait_for_url(browser, "province=bac-kan")
    params = parse_qs(urlsplit(browser.current_url).query)
    assert params == {"q": ["chuyen doi so"], "province": ["bac-kan"]}
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit")
    grouped = browser.find_elements(By.CSS_SELECTOR, ".hit details.similar li")
    assert 0 < len(hits) <= count and len(hits) + len(grouped) == count
    for hit in hits:
        assert "Bắc Kạn" in hit.find_element(By.CLASS_NAME, "meta").text
    chip = browser.find_element(By.CSS_SELECTOR, ".chosen .chip")
    assert "Bắc Kạn" in chip.text
    steps.shot("province-filter")
    _check_feed_link(browser, server, "/search.atom?q=chuyen+doi+so&province=bac-kan")

    link = browser.find_element(By.CSS_SELECTOR, ".hit h3 a")
    title = link.text
    link.click()
    _wait_for_url(browser, "/article/")
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert browser.find_elements(By.CSS_SELECTOR, ".body mark")
    steps.shot("article")
    assert not _csp_violations(browser)


def _facet_counts(driver, section) -> dict[str, int]:
    from selenium.webdriver.common.by import By

    return {
        item.find_element(By.CLASS_NAME, "label").text.removeprefix("Đang chọn: "): int(
            item.find_element(By.CLASS_NAME, "count").text
        )
        for item in section.find_elements(By.CSS_SELECTOR, ":scope > ul > li > a.toggle")
    }


def test_provinces_of_today_in_a_browser(browser, seeds_server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    steps = Steps(browser, tmp_path)
    browser.get(seeds_server + "/search")
    first = browser.find_element(By.CSS_SELECTOR, "#facets .facet")
    assert first.find_element(By.TAG_NAME, "h3").text == "Tỉnh, thành phố (hiện nay)"
    assert _facet_counts(browser, first) == {"Thái Nguyên": 3, "Bắc Ninh": 1, "Điện Biên": 1}
    first.find_element(By.XPATH, ".//a[.//span[text()='Thái Nguyên']]").click()
    _wait_for_url(browser, "current_province=thai-nguyen")
    assert browser.find_element(By.CSS_SELECTOR, ".summary strong").text == "3"
    former = browser.find_element(By.CSS_SELECTOR, "#facets ul.former")
    assert former.get_attribute("aria-label") == "Các tỉnh cũ hợp thành Thái Nguyên"
    assert former.text.split() == ["☐", "Bắc", "Kạn", "3"]
    for meta in browser.find_elements(By.CSS_SELECTOR, ".hit > p.meta"):
        assert "Bắc Kạn (nay thuộc tỉnh Thái Nguyên)" in meta.text
    steps.shot("current-province")

    # Narrowed to a former province, then both dropped with the province of today's chip.
    former.find_element(By.CSS_SELECTOR, "a.toggle").click()
    _wait_for_url(browser, "province=bac-kan")
    assert browser.find_element(By.CSS_SELECTOR, ".summary strong").text == "3"
    chip = browser.find_element(
        By.XPATH, "//p[@class='chosen']/a[contains(., 'Tỉnh, thành phố (hiện nay)')]"
    )
    chip.click()
    _wait_for_url(browser, "/search")
    assert "province" not in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ".summary strong").text == "5"

    # A query naming Thái Nguyên finds none of the Bắc Kạn pages, and says how to.
    box = browser.find_element(By.ID, "q")
    box.send_keys("Thái Nguyên")
    box.send_keys(Keys.ENTER)
    _wait_for_url(browser, "q=")
    hint = browser.find_element(By.CSS_SELECTOR, ".province-hint")
    assert "Bắc Kạn" in hint.text
    steps.shot("province-hint")
    hint.find_element(By.PARTIAL_LINK_TEXT, "Lọc theo Thái Nguyên (hiện nay)").click()
    _wait_for_url(browser, "current_province=thai-nguyen")
    assert browser.find_element(By.CSS_SELECTOR, ".summary strong").text == "3"
    assert not _csp_violations(browser)


@pytest.mark.parametrize(
    "path",
    ["/search?q=chuyen+doi+so", "/search?year=2021", "/article/seeds/000_b31f338fe211c5e8.txt"],
)
def test_pages_fit_a_phone(browser, server, tmp_path, path):
    from selenium.webdriver.common.by import By

    browser.set_window_size(360, 800)
    try:
        browser.get(server + path)
        width = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 360 and scroll <= width, "the page scrolls sideways on a phone"
        if path.startswith("/search"):
            results = browser.find_element(By.CLASS_NAME, "results").rect
            facets = browser.find_element(By.ID, "facets").rect
            assert facets["y"] >= results["y"] + results["height"]  # one column
            assert results["width"] <= width
        Steps(browser, tmp_path).shot("phone")
        assert not _csp_violations(browser)
    finally:
        browser.set_window_size(1280, 900)


def test_document_timeline_and_chart_in_a_browser(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    steps = Steps(browser, tmp_path)
    browser.get(server + "/search")
    bars = browser.find_elements(By.CSS_SELECTOR, ".bars a .bar")
    heights = [bar.size["height"] for bar in bars]
    assert bars and max(heights) > min(heights) > 0  # drawn by the CSS classes
    browser.find_element(By.CSS_SELECTOR, ".bars a[href='/search?year=2021']").click()
    _wait_for_url(browser, "year=2021")
    assert browser.find_element(By.CSS_SELECTOR, ".summary strong").text == "3"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.months li")) == 3
    steps.shot("year-chart")
    browser.get(server + "/document/570/qd-ubnd")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Văn bản 570/QĐ-UBND"
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.TAG_NAME, "time")]
    assert len(dates) == 3 and dates == sorted(dates)
    _check_feed_link(browser, server, "/document/570/qd-ubnd.atom")
    steps.shot("document")
    assert not _csp_violations(browser)


def test_telex_query_and_did_you_mean_in_a_browser(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    steps = Steps(browser, tmp_path)
    browser.get(server + "/search")
    box = browser.find_element(By.ID, "q")
    box.send_keys("chuyeenr ddooir soos")  # the Vietnamese keyboard was off
    box.send_keys(Keys.ENTER)
    _wait_for_url(browser, "q=chuyeenr+ddooir+soos")
    line = browser.find_element(By.CLASS_NAME, "searched")
    assert "Đang hiển thị kết quả cho «chuyển đổi số»" in line.text
    assert browser.find_elements(By.CSS_SELECTOR, ".hit mark")
    steps.shot("telex")
    line.find_element(By.TAG_NAME, "a").click()  # "search exactly what I typed"
    _wait_for_url(browser, "verbatim=1")
    assert not browser.find_elements(By.CLASS_NAME, "searched")
    steps.shot("verbatim")

    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("thnog tin truyen thong")  # a typo, no diacritics
    box.send_keys(Keys.ENTER)
    _wait_for_url(browser, "q=thnog+tin+truyen+thong")
    suggestion = browser.find_element(By.CSS_SELECTOR, ".suggestion a")
    assert suggestion.text == "«thông tin truyền thông»"
    suggestion.click()
    _wait_for_url(browser, "q=th%C3%B4ng+tin+truy%E1%BB%81n+th%C3%B4ng")
    assert browser.find_elements(By.CSS_SELECTOR, ".hit")
    steps.shot("did-you-mean")
    assert not _csp_violations(browser)
