"""Gene symbols: HGNC symbols and the aliases clinicians use (HER2 -> ERBB2).

>>> from herscape.profile import normalize_gene
>>> normalize_gene("HER2"), normalize_gene("c-Met"), normalize_gene("PD-L1")
('ERBB2', 'MET', 'CD274')
>>> normalize_gene("NOTAGENE") is None
True

The symbol list ships as ``data/genes.tsv``. It is curated by hand (there is no network at run
time): the COSMIC Cancer Gene Census-scale set of cancer genes, every gene the knowledge base
and the marker vocabulary use, and the ERBB-pathway genes. A symbol outside it is reported as
unknown, never guessed; :func:`closest_genes` offers suggestions.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from herscape.profile._data import read_table

__all__ = ["closest_genes", "gene_symbols", "is_gene", "is_well_formed", "normalize_gene"]

#: The shape of an HGNC symbol: letters first, then letters, digits, ``orf`` and hyphen- or
#: dot-separated parts (``KRAS``, ``C11orf30``, ``NKX2-1``, ``HLA-A``, ``H3-3A``).
_WELL_FORMED = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*$")
_MAX_SYMBOL = 25
_KEY_DROP = re.compile(r"[\s\-_./()]+")
_GREEK = str.maketrans({"α": "ALPHA", "β": "BETA", "γ": "GAMMA", "κ": "KAPPA", "Δ": "DELTA"})


def _alias_key(text: str) -> str:
    return _KEY_DROP.sub("", text.translate(_GREEK).upper())


@cache
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    _, rows = read_table("genes.tsv")
    symbols = frozenset(row[0] for row in rows)
    aliases: dict[str, str] = {}
    for symbol, alias_text in ((row[0], row[1]) for row in rows):
        for alias in filter(None, alias_text.split(",")):
            aliases.setdefault(_alias_key(alias), symbol)
    for symbol in symbols:  # symbols written without their hyphen (NKX21 for NKX2-1)
        aliases.setdefault(_alias_key(symbol), symbol)
    return symbols, aliases


def gene_symbols() -> frozenset[str]:
    """Every gene symbol herscape recognises."""
    return _tables()[0]


def is_gene(symbol: str) -> bool:
    """Whether ``symbol`` is a recognised HGNC symbol (exactly, upper case)."""
    return symbol in _tables()[0]


@cache
def normalize_gene(text: str) -> str | None:
    """The HGNC symbol for a symbol or alias, or ``None`` when it is not known.

    Symbols win over aliases; case, hyphens, spaces and Greek letters are ignored for aliases.
    """
    symbols, aliases = _tables()
    upper = text.strip().upper()
    if upper in symbols:
        return upper
    return aliases.get(_alias_key(text.strip()))


def is_well_formed(text: str) -> bool:
    """Whether ``text`` has the shape of an HGNC gene symbol (whether or not herscape lists it).

    A well-formed symbol outside herscape's list is accepted by the file readers and kept as
    written: the knowledge does not name it, so it is informational only.
    """
    t = text.strip()
    return 0 < len(t) <= _MAX_SYMBOL and _WELL_FORMED.match(t) is not None


def closest_genes(text: str, n: int = 4) -> list[str]:
    """Up to ``n`` recognised symbols closest to ``text`` (for error messages)."""
    return difflib.get_close_matches(text.strip().upper(), sorted(_tables()[0]), n=n, cutoff=0.7)
