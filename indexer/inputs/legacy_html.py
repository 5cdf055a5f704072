"""HTML with text in the TCVN3 or VNI fonts -> the same HTML with that text in Unicode.

Old government pages mix a Unicode (or entity-encoded) menu with a body typed in ``.VnTime`` or
``VNI-Times``, so conversion is decided per text node: a node's font is the first legacy font
named on it or an ancestor (``<font face>``, ``style="font-family"``, or a ``<style>`` rule for
its class or tag); a node in a known legacy font is converted with that font's table when that
makes more of its words Vietnamese, any other node only when the table of the page's text as a
whole (``likely_reading``) makes most of its changed words Vietnamese
(``indexer.inputs.encodings.convert_legacy_text``). Pages that name no legacy font and show
no legacy text are returned untouched, without parsing.
"""

from __future__ import annotations

import html
import re
import warnings

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PreformattedString

from indexer.inputs.encodings import (
    LegacyFont,
    Reading,
    convert_legacy_text,
    has_legacy_signs,
    likely_reading,
)

# A font-family value or face attribute naming a legacy font: VNI-Times, .VnTime, .VnTimeH.
_VNI_FONT_RE = re.compile(r"\bvni[- ]?[a-z]", re.IGNORECASE)
_TCVN3_FONT_RE = re.compile(r"(?<![\w-])\.?vn(?!i\b|i[- ])[a-z][\w -]*", re.IGNORECASE)
_CAPS_FONT_RE = re.compile(r"\.?[Vv][Nn][A-Za-z -]*[a-z]H\b|\.?vn(?:time|arial|avant)h\b")
_FONT_DECL_RE = re.compile(r"font(?:-family)?\s*:\s*([^;{}]+)", re.IGNORECASE)
_CSS_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR_RE = re.compile(r"^(?P<tag>[a-z][a-z0-9]*)?(?:\.(?P<cls>[\w-]+))?$", re.I)
_ANY_FONT_RE = re.compile(
    r"(?:\bface\s*=|\bfont(?:-family)?\s*:)[^<>;{}]{0,80}?(?:\.vn[a-z]|\bvn(?:i[- ]?)?[a-z])",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SKIP_PARENTS = frozenset({"script", "style", "noscript", "template", "textarea"})
_META_TEXT = ("og:title", "og:description", "og:site_name", "description", "twitter:title")


def font_kind(value: str) -> LegacyFont | None:
    """The legacy font a font-family list or face attribute names first, if any."""
    vni, tcvn3 = _VNI_FONT_RE.search(value), _TCVN3_FONT_RE.search(value)
    if vni and (not tcvn3 or vni.start() <= tcvn3.start()):
        return "vni"
    if tcvn3:
        return "tcvn3-caps" if _CAPS_FONT_RE.match(tcvn3.group(0).strip()) else "tcvn3"
    return None


def _declared_font(value: str) -> LegacyFont | None:
    """The legacy font of a style attribute or CSS declaration block."""
    for declaration in _FONT_DECL_RE.findall(value):
        if kind := font_kind(declaration):
            return kind
    return None


def _css_fonts(soup: BeautifulSoup) -> dict[str, LegacyFont]:
    """'.class' and 'tag' keys -> legacy font, from the simple selectors of <style> rules."""
    fonts: dict[str, LegacyFont] = {}
    for style in soup.find_all("style"):
        for selectors, block in _CSS_RULE_RE.findall(style.get_text()):
            kind = _declared_font(block)
            if kind is None:
                continue
            for selector in selectors.split(","):
                last = selector.strip().split()[-1] if selector.strip() else ""
                if m := _SIMPLE_SELECTOR_RE.match(last):
                    fonts["." + m["cls"] if m["cls"] else (m["tag"] or "").lower()] = kind
    fonts.pop("", None)
    return fonts


def _element_font(tag: Tag, css: dict[str, LegacyFont]) -> LegacyFont | bool | None:
    """The font this element sets: a legacy font, None for another font, False for none."""
    declarations = _FONT_DECL_RE.findall(str(tag.get("style") or ""))
    if declarations:
        return font_kind(declarations[-1])
    if tag.name == "font" and tag.get("face"):
        return font_kind(str(tag["face"]))
    for cls in tag.get("class") or ():
        if "." + cls in css:
            return css["." + cls]
    return css.get(tag.name, False)


def _node_font(
    node: NavigableString, css: dict[str, LegacyFont], cache: dict[int, LegacyFont | None]
) -> LegacyFont | None:
    """The font a text node is drawn in: the nearest element that sets one decides."""
    chain = []
    font: LegacyFont | bool | None = False
    for parent in node.parents:
        if id(parent) in cache:
            font = cache[id(parent)]
            break
        chain.append(parent)
        font = _element_font(parent, css) if isinstance(parent, Tag) else False
        if font is not False:
            break
    font = font or None
    for parent in chain:
        cache[id(parent)] = font
    return font


def _visible_text(markup: str) -> str:
    """The text of markup, roughly: tags, scripts and styles removed, entities decoded."""
    return html.unescape(_TAG_RE.sub(" ", markup))


def _convert_meta(soup: BeautifulSoup, reading: Reading | None) -> bool:
    """Convert the metadata texts (og:title, description, ...); True when one changed."""
    changed = False
    for meta in soup.find_all("meta"):
        name, content = meta.get("property") or meta.get("name"), meta.get("content")
        if name in _META_TEXT and content:
            converted = convert_legacy_text(str(content), reading=reading)
            changed = changed or converted != content
            meta["content"] = converted
    return changed


def convert_legacy_html(markup: str) -> str:
    """HTML text -> the same page with its legacy-font text nodes in Unicode (see module doc)."""
    named = _ANY_FONT_RE.search(markup) is not None
    # Signs may hide in entities: FrontPage wrote TCVN3's "ô" as "&laquo;".
    signs = has_legacy_signs(markup) or ("&" in markup and has_legacy_signs(html.unescape(markup)))
    reading = likely_reading(_visible_text(markup)) if signs else None
    if not named and reading is None:
        return markup
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    css: dict[str, LegacyFont] = _css_fonts(soup)
    cache: dict[int, LegacyFont | None] = {}
    changed = False
    for node in soup.find_all(string=True):
        if isinstance(node, PreformattedString) or node.isascii() or node.parent is None:
            continue
        if node.parent.name in _SKIP_PARENTS:
            continue
        converted = convert_legacy_text(str(node), _node_font(node, css, cache), reading)
        if converted != node:
            node.replace_with(NavigableString(converted))
            changed = True
    changed = _convert_meta(soup, reading) or changed
    return str(soup) if changed else markup
