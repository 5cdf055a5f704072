"""The element tree of an HTML page: what goes, where the article is, its lines and captions.

Used by ``htmlpage``. The systems the provincial departments run (NukeViet, DotNetNuke,
SharePoint, WordPress, Joomla, home-grown table layouts) name their chrome in their class and
id attributes, in English or Vietnamese ("chantrang" is a footer, "tinkhac" other news), so an
element goes when one of its names says menu, sidebar, footer, share bar, related links,
comments...; a byline, a view counter, a tool bar or a tag list goes too once its date and
author have been read, as long as it is short. ASP.NET wraps the whole page in one <form>:
only small forms (search boxes, ratings) go.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PreformattedString

FORM_CHARS = 500  # a form with more text than this, or a headline, is the page (ASP.NET)
META_CHARS = 300  # a byline, tool bar or tag list is shorter than this
SENTENCE_CHARS = 100  # ... and is not a sentence longer than this (a lead)
BLOCK_CHARS = 50  # a block with less text of its own is not a paragraph of the article
LINK_DENSITY = 0.5  # a block with more of its text in links is a list of links
CAPTION_CHARS = 300
LINK_BOX_CHARS = 600  # a related-links box inside the article is shorter than this

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "nav",
    "aside",
    "footer",
    "button",
    "select",
    "input",
    "textarea",
    "label",
    "object",
    "embed",
    "audio",
    "video",
)
_KEEP_TAGS = ("html", "body", "main", "article")
_SENTENCE_ENDS = (".", "!", "?", ":", ";", "…", '"', "”", "»", ")")
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p"}
    | {"pre", "section", "table", "td", "th", "tr", "ul", "form", "center"}
)
# Chrome by a name that starts or ends with one of these ("jp-relatedposts", "skinfooter";
# not SharePoint's table style "rteTableFooterRow"), or a Vietnamese name for it anywhere.
_CHROME_STEMS = (
    *("related", "share", "sharing", "social", "comment", "breadcrumb", "sidebar", "navbar"),
    *("footer", "banner", "advert", "pagenav", "pagination", "toolbar", "sendmail", "rating"),
    *("widget", "menu"),
)
_VN_CHROME_RE = re.compile(
    r"chan_?trang|dau_?trang|cuoi_?trang|menu_?(?:trai|phai|ngang)|cot_?phai|tin_?khac"
    r"|lien_?quan|tin_?moi|thong_?ke|quang_?cao|duong_?dan|dong_?dan|vi_?tri|tien_?ich",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r"[\s_-]+")
_NEGATIONS = frozenset({"not", "no", "non", "without"})
_CHROME_WORDS = frozenset({"nav", "navigation", "ads", "ad", "crumbs", "counter", "clock"})
# Metadata by one of its words: read, then dropped when short.
_META_WORDS = frozenset(
    {"meta", "byline", "author", "info", "hits", "views", "tags", "tag", "keywords"}
    | {"tools", "icons", "pager", "print", "email", "category", "modified", "updated", "date"}
    | {"time", "ngay", "ngaydang", "published", "created", "posted", "pubdate", "datetime"}
    | {"thoigian", "ngaythang", "ngayxuatban", "ngaytao"}
    | {"createdby", "publish", "source", "nguon", "tacgia", "readcount"}
)
_HIDDEN_CLASSES = frozenset(
    {"hidden", "hide", "d-none", "invisible", "sr-only", "screen-reader-text"}
    | {"element-invisible", "visually-hidden", "visuallyhidden"}
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SEPARATOR_RE = re.compile(r"[-_]")
_CAPTION_MARK_RE = re.compile(
    r"caption|image_?desc|img_?desc|imagenote|photo_?desc|chu_?thich|emphasis", re.I
)
_CENTER_RE = re.compile(r"text-align\s*:\s*center", re.I)


def gone(tag: Tag) -> bool:
    """True for an element already decomposed (with a parent that was).

    Tag.decomposed looks for a child element named "_decomposed" in a live element, a search
    of its whole subtree; the flag decompose() sets is read from the instance instead.
    """
    return bool(tag.__dict__.get("_decomposed"))


def marks(tag: Tag) -> str:
    """A tag's class names and id, as one string."""
    return " ".join([*tag.get("class", []), str(tag.get("id", ""))]).strip()


def mark_words(tag: Tag) -> set[str]:
    """The words of a tag's class names and id, and each name run together: 'edn_metaDetails'
    -> {'edn', 'meta', 'details', 'ednmetadetails'}, 'thoi-gian' -> {..., 'thoigian'}."""
    names = marks(tag)
    words = {word.lower() for word in _WORD_RE.findall(names)}
    return words | {_SEPARATOR_RE.sub("", name).lower() for name in names.split()}


def _is_chrome(tag: Tag) -> bool:
    """A site header, or an element whose class or id names menus, sidebars, footers..."""
    if tag.name == "header" and not (tag.find_parent(("article", "main")) or tag.find("time")):
        return True  # the site's header; an article's header (title, <time>) stays
    found = marks(tag)
    if not found:
        return False
    names = [name.lower() for name in _SPLIT_RE.split(found)]
    for before, name in zip(["", *names], names, strict=False):
        stem = name.startswith(_CHROME_STEMS) or name.endswith(_CHROME_STEMS)
        if stem and before not in _NEGATIONS:  # "wsite-not-footer" is the page's content
            return True
    return bool(_VN_CHROME_RE.search(found.replace("-", "_"))) or bool(
        mark_words(tag) & _CHROME_WORDS
    )


def clean_tree(soup: BeautifulSoup) -> None:
    """Drop scripts, controls, small forms, comments, menus, sidebars, share bars, footers."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for form in soup.find_all("form"):
        if gone(form) or form.find(("h1", "h2")) is not None:
            continue
        if len(form.get_text(" ", strip=True)) <= FORM_CHARS:
            form.decompose()
    for tag in soup.find_all(True):
        if not gone(tag) and tag.name not in _KEEP_TAGS and _is_chrome(tag):
            tag.decompose()


def is_hidden(tag: Tag) -> bool:
    """True for an element a reader does not see: hidden, display:none, a screen-reader text."""
    if tag.has_attr("hidden") or _HIDDEN_STYLE_RE.search(str(tag.get("style", ""))):
        return True
    return not _HIDDEN_CLASSES.isdisjoint(c.lower() for c in tag.get("class", []))


def metadata_elements(root: Tag) -> list[Tag]:
    """Short elements under root named as bylines, dates, counters, tools or tags, in order."""
    found: list[Tag] = []
    ids: set[int] = set()
    for tag in root.find_all(True):
        if tag.name in _KEEP_TAGS or any(id(parent) in ids for parent in tag.parents):
            continue
        if mark_words(tag) & _META_WORDS or tag.get("itemprop") in ("author", "datePublished"):
            text = tag.get_text(" ", strip=True)
            sentence = len(text) > SENTENCE_CHARS and text.endswith((".", "!", "?", "…", '"', "”"))
            if len(text) <= META_CHARS and not sentence and not tag.find(("p", "h1", "h2", "h3")):
                found.append(tag)
                ids.add(id(tag))
    return found


def drop_link_boxes(root: Tag, heading_re: re.Pattern[str]) -> None:
    """Drop boxes of links under root that open with a related-links heading ("Tin liên quan:")."""
    for tag in root.find_all(("div", "table", "p", "section", "ul")):
        if gone(tag):
            continue
        first = next((s.strip() for s in tag.find_all(string=True) if s.strip()), "")
        text = tag.get_text(" ", strip=True)
        if not heading_re.fullmatch(first.rstrip(" :")) or len(text) > LINK_BOX_CHARS:
            continue
        links = sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a"))
        if links and links >= LINK_DENSITY * (len(text) - len(first)):
            tag.decompose()


def drop_hidden(root: Tag) -> None:
    """Drop the elements of root a reader does not see."""
    for tag in root.find_all(True):
        if not gone(tag) and is_hidden(tag):
            tag.decompose()


def _own_text(root: Tag) -> dict[int, list]:
    """Per block element: [element, characters of its own text, characters in links]."""
    blocks: dict[int, list] = {}
    for string in root.find_all(string=True):
        if isinstance(string, PreformattedString):
            continue
        size = len(string.strip())
        if not size:
            continue
        block = next((p for p in string.parents if p.name in BLOCK_TAGS), None)
        if block is None:
            continue
        entry = blocks.setdefault(id(block), [block, 0, 0])
        entry[1] += size
        if string.find_parent("a") is not None:
            entry[2] += size
    return blocks


def main_element(soup: BeautifulSoup) -> Tag:
    """The article's element: articleBody, the largest <article>, else the best text parent.

    Each block with enough text of its own that is not mostly links gives its length to its
    parent and half of it to its grandparent; the element with the most wins.
    """
    root = soup.body or soup
    found = root.find(attrs={"itemprop": "articleBody"})
    if isinstance(found, Tag):
        return found
    articles = root.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    score: dict[int, float] = defaultdict(float)
    elements: dict[int, Tag] = {}
    for block, chars, links in _own_text(root).values():
        if chars < BLOCK_CHARS or links > LINK_DENSITY * chars:
            continue
        grand = block.parent.parent if block.parent is not None else None
        for share, parent in ((1.0, block.parent), (0.5, grand)):
            if isinstance(parent, Tag):
                score[id(parent)] += share * chars
                elements[id(parent)] = parent
    return elements[max(score, key=score.__getitem__)] if score else root


def _broken_lines(text: str) -> list[str]:
    """A block's text split at its <br>s ('\n'), except where a line break falls inside a
    sentence: the line before ends with no punctuation and the next goes on in lower case
    ("... trên địa bàn<br>huyện đã ..."); there the two are one line. Two breaks in a row
    always part."""
    lines: list[str] = []
    for piece in text.split("\n"):
        before = lines[-1].rstrip() if lines else ""
        after = piece.lstrip()
        if before and after[:1].islower() and not before.endswith(_SENTENCE_ENDS):
            lines[-1] = before + " " + after
        else:
            lines.append(piece)
    return lines


def with_lead(main: Tag) -> Tag:
    """main, or its parent when main ends the parent and all the parent holds before it are
    short blocks that are not lists of links: a date line and a lead (sapo) that a CMS puts
    beside the article's text rather than in it (Liferay's news-date, news-sapo, news-content)."""
    parent = main.parent
    if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
        return main
    before = main.find_previous_siblings(True)
    if not before or any(s.get_text(strip=True) for s in main.find_next_siblings(True)):
        return main
    for sibling in before:
        text = sibling.get_text(" ", strip=True)
        links = sum(len(a.get_text(" ", strip=True)) for a in sibling.find_all("a"))
        if len(text) > LINK_BOX_CHARS or (links and links >= LINK_DENSITY * len(text)):
            return main
    return parent


def block_lines(element: Tag) -> list[str]:
    """The text of an element, one line per block (paragraph, heading, list item, <br>; a <br>
    inside a sentence is a space)."""
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        lines.extend(_broken_lines("".join(parts)))
        parts.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag) and child.name == "br":
                parts.append("\n")
                continue
            if isinstance(child, Tag):
                block = child.name in BLOCK_TAGS
                if block:
                    flush()
                walk(child)
                if block:
                    flush()
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                parts.append(str(child).replace("\n", " "))

    walk(element)
    flush()
    return lines


def _in_italics(string: NavigableString, block: Tag) -> bool:
    """True when a string of block sits in an em, i or 'emphasis' element inside it."""
    for parent in string.parents:
        if parent.name in ("em", "i") or _CAPTION_MARK_RE.search(marks(parent)):
            return True
        if parent is block:
            return False
    return False


def _all_emphasis(block: Tag) -> bool:
    """True when every word of a block is in italics."""
    return all(_in_italics(s, block) for s in block.find_all(string=True) if s.strip())


def _follows_image(block: Tag) -> bool:
    """True when a block holds an image or comes right after an element holding only one."""
    if block.find("img") is not None:
        return True
    before = block.find_previous_sibling(True)
    return before is not None and (
        before.name == "img" or (before.find("img") is not None and not before.get_text(strip=True))
    )


def caption_elements(root: Tag) -> list[Tag]:
    """Photo captions under root: <figcaption>, caption classes, an italic line under an image."""
    found = []
    for tag in root.find_all(True):
        text = tag.get_text(" ", strip=True)
        if not text or len(text) > CAPTION_CHARS:
            continue
        if tag.name == "figcaption" or _CAPTION_MARK_RE.search(marks(tag)):
            found.append(tag)
        elif tag.name in ("p", "div", "td", "center") and _follows_image(tag):
            centered = _CENTER_RE.search(str(tag.get("style", ""))) or tag.get("align") == "center"
            if _all_emphasis(tag) or centered:
                found.append(tag)
    return found
