"""The user's query language: words, "quoted phrases", -excluded, OR, (groups), document numbers.

Words must all match, in any order (a word of several syllables as those syllables side by
side: ``search_app.query.words`` finds them); ``OR`` (or ``|``) joins the groups of words
around it and binds looser than the implicit AND, so ``Bắc Kạn OR Bắc Giang`` means (Bắc Kạn)
or (Bắc Giang); parentheses group. Parsing never fails: a malformed query (an unclosed quote,
a lone operator) is read the most plausible way and a notice says how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from indexer.metadata.docnumbers import (
    KIND_FIRST_WORDS,
    DocumentNumber,
    find_query_document_numbers,
    kind_of,
)
from indexer.text.vietnamese import fold, has_diacritics, normalize_text, syllables

MAX_QUERY_CHARS = 2000  # a pasted paragraph: find the articles like it
MAX_CLAUSES = 256
LONG_QUERY = 12  # syllables: a longer query is pasted text, matched by its telling words


@dataclass(frozen=True)
class Term:
    """One syllable; ``text`` is lowercase with the diacritics the user typed."""

    text: str

    @cached_property  # asked for again and again by the engine; kept in the instance
    def folded(self) -> str:
        """The syllable without diacritics."""
        return fold(self.text)

    @cached_property
    def accented(self) -> bool:
        """Whether the user typed diacritics (then exact matches rank first)."""
        return has_diacritics(self.text)


@dataclass(frozen=True)
class Phrase:
    """Syllables that must stand next to each other, in order (typed in quotes)."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Word:
    """A word of several syllables ("chuyển đổi"): they stand next to each other, in order."""

    terms: tuple[Term, ...]

    @property
    def text(self) -> str:
        """The word as typed, its syllables joined by spaces."""
        return " ".join(term.text for term in self.terms)


@dataclass(frozen=True)
class DocNumber:
    """A legal document number such as 570/QĐ-UBND."""

    number: DocumentNumber
    terms: tuple[Term, ...]  # its syllables, for highlighting and as a phrase


@dataclass(frozen=True)
class Not:
    """Excludes what its operand matches."""

    node: Node


@dataclass(frozen=True)
class And:
    """All operands must match."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one operand must match."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Alternatives:
    """Words as typed, or another form of them (UBND / Ủy ban nhân dân): both match, the
    typed form ranks first."""

    typed: Node
    others: tuple[Node, ...]


Node = Term | Word | Phrase | DocNumber | Not | And | Or | Alternatives
Sequence = Word | Phrase | DocNumber  # nodes whose syllables stand side by side


@dataclass
class ParsedQuery:
    """A parsed query: its tree (None when nothing is searchable) and notices for the user."""

    text: str
    root: Node | None
    notices: list[str] = field(default_factory=list)

    def positive_terms(self) -> list[Term]:
        """Syllables a matching article contains (everything not under a Not), in query order."""
        found: list[Term] = []

        def walk(node: Node) -> None:
            if isinstance(node, Term):
                found.append(node)
            elif isinstance(node, (Word, Phrase, DocNumber)):
                found.extend(node.terms)
            elif isinstance(node, Alternatives):
                walk(node.typed)
            elif isinstance(node, (And, Or)):
                for child in node.nodes:
                    walk(child)

        if self.root is not None:
            walk(self.root)
        return found

    @property
    def is_plain(self) -> bool:
        """True for a query of plain words and phrases: no OR, no exclusion."""

        def plain(node: Node) -> bool:
            if isinstance(node, And):
                return all(plain(child) for child in node.nodes)
            return isinstance(node, (Term, Word, Phrase, DocNumber, Alternatives))

        return self.root is not None and plain(self.root)


# Lexer: quoted phrases, parentheses, OR, and runs of anything else.
_TOKEN_RE = re.compile(r'-(?=["“(])|"|“|”|\(|\)|\||[^\s"“”()|]+')
_OPERATOR_WORDS = {"OR": "or", "|": "or", "AND": "and"}


def _lex(text: str) -> list[tuple[str, str]]:
    """Split a query into (kind, text) tokens: quote, open, close, or, and, not, word."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        value = match.group(0)
        if value == "-" and match.end() < len(text) and text[match.end()] in '"“(':
            tokens.append(("not", value))
        elif value in ('"', "“", "”"):
            tokens.append(("quote", value))
        elif value == "(":
            tokens.append(("open", value))
        elif value == ")":
            tokens.append(("close", value))
        elif value in _OPERATOR_WORDS:
            tokens.append((_OPERATOR_WORDS[value], value))
        else:
            tokens.append(("word", value))
    return tokens


def _terms(text: str) -> tuple[Term, ...]:
    return tuple(Term(s.lower()) for s, _, _ in syllables(text))


def _word_node(word: str) -> Node | None:
    """A bare word: a document number, one syllable, or a hyphenated compound as a phrase."""
    numbers = find_query_document_numbers(word)
    if len(numbers) == 1 and numbers[0].text == word.strip(".,;:"):
        return DocNumber(numbers[0], _terms(word))
    terms = _terms(word)
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Phrase(terms)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], notices: list[str]) -> None:
        self.tokens = tokens
        self.i = 0
        self.notices = notices
        self.depth = 0

    def notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse_or(self) -> Node | None:
        groups = [self.parse_and()]
        while self.peek() == "or":
            self.take()
            groups.append(self.parse_and())
        kept = [g for g in groups if g is not None]
        if len(groups) > 1 and len(kept) < len(groups):
            self.notice("Bỏ qua toán tử OR đứng một mình.")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def parse_and(self) -> Node | None:
        nodes: list[Node] = []
        while (kind := self.peek()) not in (None, "or") and not (kind == "close" and self.depth):
            if kind == "and":
                self.take()
                continue
            if kind == "close":  # a ')' with no '(' before it
                self.take()
                self.notice("Bỏ qua dấu ngoặc đóng thừa.")
                continue
            node = self.parse_unary()
            if node is not None:
                nodes.append(node)
        nodes = _document_references(nodes)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def parse_unary(self) -> Node | None:
        kind, value = self.tokens[self.i]
        if kind == "not":
            self.take()
            if self.peek() is None:
                return None
            node = self.parse_primary()
            return Not(node) if node is not None else None
        if kind == "word" and value.startswith("-"):
            if value == "-":  # a dash between words ("phát thanh - truyền hình")
                self.take()
                return None
            self.tokens[self.i] = ("word", value[1:])
            node = self.parse_primary()
            return Not(node) if node is not None else None
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        kind, value = self.take()
        if kind == "quote":
            return self.parse_phrase()
        if kind == "open":
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() == "close":
                self.take()
            else:
                self.notice("Dấu ngoặc đơn chưa đóng: đã đóng ở cuối câu truy vấn.")
            return node
        return _word_node(value)

    def parse_phrase(self) -> Node | None:
        words = []
        while self.peek() is not None and self.peek() != "quote":
            words.append(self.take()[1])
        if self.peek() == "quote":
            self.take()
        else:
            self.notice("Dấu ngoặc kép chưa đóng: đã coi phần còn lại là một cụm từ.")
        text = " ".join(w for w in words if w not in ("OR", "AND", "|"))
        numbers = find_query_document_numbers(text)
        if len(numbers) == 1 and numbers[0].text == text.strip():
            return DocNumber(numbers[0], _terms(text))
        terms = _terms(text)
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else Phrase(terms)


_YEAR_RE = re.compile(r"(19|20)\d\d")


def _reference(nodes: list[Node], start: int) -> tuple[DocNumber, int] | None:
    """A kind of document and a bare number at ``nodes[start:]`` ("QĐ 570", "quyết định số
    570"), as the document number it names, and how many nodes it takes."""
    first = nodes[start]
    if not isinstance(first, Term) or first.folded not in KIND_FIRST_WORDS:
        return None
    for size in (4, 3, 2, 1):  # the longest kind name first: "thông tư liên tịch"
        words = nodes[start : start + size]
        if len(words) < size or not all(isinstance(w, Term) for w in words):
            continue
        kind = kind_of(tuple(w.folded for w in words))
        if kind is None:
            continue
        at = start + size
        said_number = at < len(nodes) and isinstance(nodes[at], Term) and nodes[at].folded == "so"
        at += said_number
        number = nodes[at] if at < len(nodes) else None
        if not isinstance(number, Term) or not number.text.isdigit():
            return None
        if _YEAR_RE.fullmatch(number.text) and not said_number:  # "kế hoạch 2021" is a year
            return None
        found = DocumentNumber(number.text, 0, 0, number.text.lstrip("0") or "0", None, kind, "")
        return DocNumber(found, (number, Term(kind.lower()))), at + 1 - start
    return None


def _document_references(nodes: list[Node]) -> list[Node]:
    """Replace "QĐ 570" / "quyết định số 570" among a group's words by a document number."""
    result: list[Node] = []
    i = 0
    while i < len(nodes):
        found = _reference(nodes, i)
        if found is None:
            result.append(nodes[i])
            i += 1
        else:
            result.append(found[0])
            i += found[1]
    return result


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(child) for child in node.nodes)
    return False


def _count_clauses(node: Node | None) -> int:
    if node is None:
        return 0
    if isinstance(node, (And, Or)):
        return sum(_count_clauses(child) for child in node.nodes)
    if isinstance(node, Not):
        return _count_clauses(node.node)
    if isinstance(node, Alternatives):
        return _count_clauses(node.typed)
    return 1


# Syntax of other engines that we read as plain words, saying so.
_WILDCARD_RE = re.compile(r"\w\*|\*\w|\w\?\w")  # "tại sao?" is a question, not a wildcard
_FIELD_RE = re.compile(r"(?<![\w/])(?!https?:)[A-Za-z_]+:[^\s/]")
WILDCARD_NOTICE = (
    "Không hỗ trợ ký tự đại diện * và ?: đã tìm các từ như đã gõ. "
    "Gõ không dấu để tìm mọi cách viết của một từ."
)
FIELD_NOTICE = "Không hỗ trợ cú pháp trường (ví dụ province:…): hãy dùng bộ lọc bên cạnh kết quả."


def parse_query(text: str) -> ParsedQuery:
    """Parse what the user typed; never raises."""
    notices: list[str] = []
    text = normalize_text(text or "").strip()
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notices.append(f"Câu truy vấn quá dài: chỉ dùng {MAX_QUERY_CHARS} ký tự đầu.")
    if _WILDCARD_RE.search(text):
        notices.append(WILDCARD_NOTICE)
    if _FIELD_RE.search(text):
        notices.append(FIELD_NOTICE)
    parser = _Parser(_lex(text), notices)
    root = parser.parse_or()
    if _count_clauses(root) > MAX_CLAUSES:
        notices.append(f"Câu truy vấn có quá nhiều từ: chỉ dùng {MAX_CLAUSES} từ đầu.")
        root = _truncate(root, MAX_CLAUSES)
    if root is not None and _only_negative(root):
        notices.append("Chỉ có từ loại trừ: hiển thị mọi bài không chứa chúng.")
    return ParsedQuery(text, root, notices)


def _truncate(node: Node | None, budget: int) -> Node | None:
    """Keep the first ``budget`` leaf clauses of a tree."""
    if node is None or budget <= 0:
        return None
    if isinstance(node, (And, Or)):
        kept: list[Node] = []
        for child in node.nodes:
            size = _count_clauses(child)
            if size <= budget:
                kept.append(child)
                budget -= size
            else:
                part = _truncate(child, budget)
                if part is not None:
                    kept.append(part)
                break
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else type(node)(tuple(kept))
    if isinstance(node, Not):
        inner = _truncate(node.node, budget)
        return Not(inner) if inner is not None else None
    return node
