"""Fusion and intragenic-event notations as files and reports write them.

>>> from herscape.profile._svtext import parse_sv_text
>>> [str(parse_sv_text(t)) for t in ("EML4::ALK", "ALK-EML4", "ETV6-RUNX1 fusion", "MLL2-intragenic")]
['EML4::ALK', 'ALK::EML4', 'ETV6::RUNX1', 'KMT2D intragenic rearrangement']
>>> str(parse_sv_text("EGFR vIII"))
'EGFR exons 2-7 deletion'

Forms: ``A::B`` (5'::3', HGVS), ``A-B`` and ``A-B fusion`` (OncoKB, cBioPortal ``Event_Info``;
the order is kept as written, matching is by gene), ``A fusion`` (partner unknown),
``A-intragenic`` (OncoKB: an event inside A whose type is not stated), ``EGFR vIII`` /
``EGFRvIII`` (EGFR exons 2-7 deletion). A hyphen inside a gene symbol (``NKX2-1``) is told
from the separator by the symbol list; a split that cannot be decided is an error.
"""

from __future__ import annotations

import re

from herscape.profile._features import Feature, Fusion, Intragenic
from herscape.profile._genes import closest_genes, is_well_formed, normalize_gene

__all__ = ["parse_sv_text", "resolve_symbol"]

_VIII = re.compile(r"^(?:EGFR\s*)?v\s*III$|^EGFR\s*-?\s*vIII$|^de2-7\s*EGFR$|^EGFR\s*de2-7$", re.I)
_TAIL = re.compile(r"\s+(?:fusion|fusions|rearrangement|translocation)$", re.I)
_INTRAGENIC = re.compile(r"^(.+?)[-\s]intragenic(?:\s+(deletion|duplication|rearrangement))?$", re.I)


def resolve_symbol(text: str) -> str:
    """The HGNC symbol of ``text``; a well-formed symbol outside herscape's list is kept as
    written (upper case). Raises ``ValueError`` (with the closest symbols) otherwise."""
    symbol = normalize_gene(text)
    if symbol is not None:
        return symbol
    if is_well_formed(text):
        return text.strip().upper()
    close = closest_genes(text)
    hint = f" (closest: {', '.join(close)})" if close else ""
    msg = f"{text!r} is not a gene symbol{hint}"
    raise ValueError(msg)


def _split_hyphen(text: str) -> tuple[str, str]:
    cuts = [i for i, c in enumerate(text) if c == "-" and 0 < i < len(text) - 1]
    known = [(text[:i], text[i + 1:]) for i in cuts
             if normalize_gene(text[:i]) is not None and normalize_gene(text[i + 1:]) is not None]
    if len(known) == 1:
        return known[0]
    if len(cuts) == 1 and not known:
        return text[:cuts[0]], text[cuts[0] + 1:]
    msg = (f"fusion {text!r}: cannot tell where one gene ends and the other begins; "
           "write it GENE1::GENE2")
    raise ValueError(msg)


def parse_sv_text(text: str) -> Feature:
    """A :class:`Fusion` or :class:`Intragenic` from one notation (see the module doc).

    Raises
    ------
    ValueError
        With the reason, for text that is none of the forms or names no gene.
    """
    s = " ".join(text.split())
    if not s:
        msg = "empty fusion"
        raise ValueError(msg)
    if _VIII.match(s):
        return Intragenic("EGFR", "deletion", 2, 7)
    m = _INTRAGENIC.match(s)
    if m is not None:
        return Intragenic(resolve_symbol(m.group(1)), (m.group(2) or "rearrangement").lower())
    s = _TAIL.sub("", s)
    if "::" in s:
        parts = [p.strip() for p in s.split("::")]
        if len(parts) != 2 or not all(parts):
            msg = f"fusion {text!r} must be GENE1::GENE2"
            raise ValueError(msg)
        a, b = parts
    elif "-" in s:
        a, b = _split_hyphen(s)
    elif " " not in s:
        return Fusion(resolve_symbol(s), None)
    else:
        msg = f"{text!r} is not a fusion (GENE1::GENE2, GENE1-GENE2, GENE-intragenic, EGFR vIII)"
        raise ValueError(msg)
    ga, gb = resolve_symbol(a), resolve_symbol(b)
    if ga == gb:
        return Intragenic(ga, "rearrangement")
    return Fusion(ga, gb)
