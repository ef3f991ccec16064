"""Matching a pattern at a position of a long text without copying the rest of it.

``re.match(p, text[pos:])`` copies everything after ``pos``; called at each agency mention of a long
paragraph that is quadratic (issue 11: a 5 MB line).  :func:`match_from` matches at ``pos`` in place and gives a
match whose offsets count from ``pos``, as the slice's did, so callers keep their arithmetic.
"""

from __future__ import annotations

import re
from functools import lru_cache


class RelMatch:
    """A match found at ``base`` of a text, with start/end/span counted from ``base`` (like a match on a slice)."""

    __slots__ = ("m", "base")

    def __init__(self, m: re.Match[str], base: int) -> None:
        self.m, self.base = m, base

    def group(self, *args):  # noqa: ANN201
        return self.m.group(*args)

    def groups(self, default=None):  # noqa: ANN001, ANN201
        return self.m.groups(default)

    def start(self, g: int | str = 0) -> int:
        s = self.m.start(g)
        return s - self.base if s >= 0 else s

    def end(self, g: int | str = 0) -> int:
        e = self.m.end(g)
        return e - self.base if e >= 0 else e

    def span(self, g: int | str = 0) -> tuple[int, int]:
        return self.start(g), self.end(g)

    def __getitem__(self, g):  # noqa: ANN001, ANN204
        return self.m.group(g)

    @property
    def lastgroup(self):  # noqa: ANN201
        return self.m.lastgroup


@lru_cache(maxsize=1024)
def _anchored(pattern: str, flags: int) -> re.Pattern[str]:
    # match() anchors at pos already; a leading "^" would only match at 0 (the slice's start was 0)
    return re.compile(pattern[1:] if pattern.startswith("^") else pattern, flags)


def match_from(pattern: str | re.Pattern[str], text: str, pos: int, flags: int = 0) -> RelMatch | None:
    """``re.match(pattern, text[pos:], flags)`` without the copy.

    The same result for patterns that do not look behind their start (no lookbehind, no leading ``\\b`` or
    ``\\B``), which is what the extractor's callers use.
    """
    if isinstance(pattern, re.Pattern):
        flags, pattern = pattern.flags, pattern.pattern
    m = _anchored(pattern, flags).match(text, pos)
    return RelMatch(m, pos) if m else None
