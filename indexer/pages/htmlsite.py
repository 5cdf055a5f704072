"""Where an HTML page says who runs its site: read before ``htmltree.clean_tree`` drops it.

Used by ``htmlpage``. The lines of the page's header and footer (<header>, <footer>, elements
named header, banner, logo, footer, copyright...), the alt text of its banner and logo images,
its <title>, the metadata naming the site (og:site_name, application-name, author, copyright,
publisher), and any line of the page opening with an owner's label ("Cơ quan chủ quản:",
"Bản quyền", "©", "Giấy phép"). A link's text is left out unless it leads home: a footer's
"Liên kết website", a menu of provinces or "Tin các tỉnh" name other sites.
``indexer.metadata.statements`` reads the province these lines state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from indexer.metadata.statements import opens_with_label
from indexer.pages.htmlmeta import meta_content, text_of
from indexer.pages.htmltree import BLOCK_TAGS, marks
from indexer.text.vietnamese import fold

REGION_CHARS = 3000  # a header or footer holds less text than this (else it wraps the page)
LABEL_LINE_CHARS = 200  # a labelled line outside them is shorter than this (not a paragraph)

_SITE_META = (
    "og:site_name",
    "application-name",
    "author",
    "copyright",
    "publisher",
    "dc.publisher",
    "DC.publisher",
    "dcterms.publisher",
)
_REGION_RE = re.compile(
    r"header|banner|logo|masthead|brand|site_?name|site_?title|titlearea|dau_?trang"
    r"|footer|chan_?trang|cuoi_?trang|copyright|bottom|ban_?quyen",
    re.IGNORECASE,
)
_IMAGE_RE = re.compile(r"banner|logo|header|masthead", re.IGNORECASE)
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "select", "option", "button", "textarea", "svg"}
)
_HOME_PATHS = frozenset(
    {"", "/", "./", "~/", "/home", "/trang-chu", "/trangchu", "/pages/default.aspx"}
    | {"/default.aspx", "/index.html", "/index.htm", "/index.php", "/index.aspx"}
)
_WAYBACK_RE = re.compile(r"^(?:https?://web\.archive\.org)?/web/\d+[a-z_]*/", re.IGNORECASE)
_NON_WORD_RE = re.compile(r"\W+")
_TITLE_SPLIT_RE = re.compile(r"\s+(?:[-|–—»›]|::)\s+")


def _is_home_link(link: Tag) -> bool:
    """True for a relative link to the site's home page ("/", "index.html", "#")."""
    href = str(link.get("href", "")).strip()
    if href.startswith("#"):
        return True
    href = _WAYBACK_RE.sub("", href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return False  # another site's home, as likely as this one's
    path = parts.path.lower()
    return path in _HOME_PATHS or ("/" + path) in _HOME_PATHS


def _is_region(tag: Tag) -> bool:
    """A header or footer: by its tag, or a name saying header, banner, logo, footer..."""
    if tag.name not in ("header", "footer") and not _REGION_RE.search(marks(tag)):
        return False
    return len(tag.get_text(" ", strip=True)) <= REGION_CHARS


def _image_text(image: Tag, region: bool) -> str:
    """The alt (or title) of a banner or logo image, or of any image in a header or footer."""
    if not region and not _IMAGE_RE.search(f"{marks(image)} {image.get('src', '')}"):
        return ""
    return str(image.get("alt") or image.get("title") or "")


def _chrome_lines(root: Tag) -> list[tuple[str, bool]]:
    """Every line of root, one per block, with whether it stands in a header or footer.

    The walk keeps its own stack: a page nested a thousand levels deep is no error.
    """
    lines: list[tuple[str, bool]] = []
    parts: list[str] = []

    def flush(region: bool) -> None:
        line = text_of("".join(parts))
        if line:
            lines.append((line, region))
        parts.clear()

    stack: list[tuple[Tag, bool, Iterator[PageElement]]] = [(root, False, iter(root.children))]
    while stack:
        node, region, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and (node.name in BLOCK_TAGS or stack[-1][1] != region):
                flush(region)
        elif isinstance(child, Tag):
            if child.name in _SKIP_TAGS or (child.name == "a" and not _is_home_link(child)):
                continue
            inner = region or _is_region(child)
            if child.name in BLOCK_TAGS or child.name == "img" or inner != region:
                flush(region)
            if child.name == "img":
                parts.append(_image_text(child, inner))
                flush(inner)
            else:
                stack.append((child, inner, iter(child.children)))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            parts.append(str(child).replace("\n", " "))
    flush(False)
    return lines


def _is_title(line: str, title: str | None) -> bool:
    """True when line is the headline itself, whatever its case and punctuation."""
    return bool(title) and _squeezed(line) == _squeezed(title or "")


def _squeezed(text: str) -> str:
    return _NON_WORD_RE.sub("", fold(text))


def _title_line(page_title: str | None, title: str | None) -> str:
    """The <title> without the parts that are the article's headline."""
    parts = _TITLE_SPLIT_RE.split(page_title or "")
    return " - ".join(part for part in parts if not _is_title(part, title))


def site_lines(soup: BeautifulSoup) -> list[str]:
    """The lines where the page's site says who it is (see the module docstring)."""
    found = [text_of(meta_content(soup, name)) for name in _SITE_META]
    for line, region in _chrome_lines(soup.body or soup):
        labelled = len(line) <= LABEL_LINE_CHARS and opens_with_label(line, anywhere=True)
        if region or labelled:
            found.append(line)
    return [line for line in dict.fromkeys(found) if line]


def identity_lines(lines: list[str], page_title: str | None, title: str | None) -> list[str]:
    """The site's lines with the <title>'s, less the lines that are the article's headline."""
    with_title = [*lines, _title_line(page_title, title)]
    return [line for line in with_title if line and not _is_title(line, title)]
