"""Check that a record's ``where`` quote really stands at that line of the seed document."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["quote_found", "seed_lines"]

#: Lines either side of the cited line that the quote may fall in (extraction splits lines).
WINDOW = 3
_SPACE = re.compile(r"\s+")
_NONWORD = re.compile(r"[^0-9a-z%.<>=+\-/]+")


def _norm(text: str) -> str:
    return _NONWORD.sub(" ", _SPACE.sub(" ", text.lower())).strip()


@lru_cache(maxsize=8)
def seed_lines(seeds: Path, seed: str) -> tuple[str, ...] | None:
    """Lines of the seed file whose name starts with ``seed`` (``"000"``), or None."""
    matches = sorted(seeds.glob(f"{seed}_*.txt"))
    if not matches:
        return None
    return tuple(matches[0].read_text(encoding="utf-8").splitlines())


def quote_found(seeds: Path, seed: str, line: int, quote: str) -> bool | None:
    """True when ``quote`` occurs within :data:`WINDOW` lines of ``line``; None if no seed.

    Comparison ignores case, white space and punctuation other than ``% . < > = + - /``.
    """
    lines = seed_lines(seeds, seed)
    if lines is None:
        return None
    lo, hi = max(0, line - 1 - WINDOW), min(len(lines), line + WINDOW)
    return _norm(quote) in _norm(" ".join(lines[lo:hi]))
