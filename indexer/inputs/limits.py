"""How much of an input is read and indexed: one size policy for every kind of input.

A news page is well under a megabyte and a long report some 100,000 characters of text.
What is larger (a dump, inline media, a page that never ends) is read from its start and
indexed in part, with a warning, so that no single input makes a build take minutes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import BinaryIO

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SizeLimits:
    """The caps on one input."""

    page_bytes: int = 8 << 20  # bytes read of a page file or a web archive's page
    text_chars: int = 500_000  # characters of an article's text indexed (its segmentation
    # alone would take minutes beyond)


LIMITS = SizeLimits()


def read_capped(stream: BinaryIO, where: object) -> bytes:
    """A page's bytes up to ``LIMITS.page_bytes``; a larger page is cut, with a warning."""
    limit = LIMITS.page_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        log.warning("%s: larger than %d MiB: only its start is indexed", where, limit >> 20)
        data = data[:limit]
    return data


def cap_text(text: str, where: object) -> str:
    """An article's text up to ``LIMITS.text_chars``, ended at a paragraph (else a space) if
    one is near; a longer text is cut, with a warning."""
    limit = LIMITS.text_chars
    if len(text) <= limit:
        return text
    log.warning("%s: text of %d characters: only the first %d are indexed", where, len(text), limit)
    head = text[:limit]
    for mark in ("\n", " "):
        end = head.rfind(mark)
        if end > limit // 2:
            return head[:end]
    return head
