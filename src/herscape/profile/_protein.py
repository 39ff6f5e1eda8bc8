"""Protein changes: parse any common notation, keep one canonical one-letter form.

>>> from herscape.profile import parse_protein_change
>>> {str(parse_protein_change(t)) for t in ["G12D", "p.G12D", "p.Gly12Asp", "p.(Gly12Asp)", "Gly12Asp"]}
{'G12D'}
>>> str(parse_protein_change("p.Arg1188Ter")), str(parse_protein_change("p.Pro780LeufsTer12"))
('R1188*', 'P780fs')

Canonical forms (HGVS protein nomenclature, one-letter codes, ``*`` for stop):

==================  ======================  =========================================
kind                canonical               also read
==================  ======================  =========================================
missense            ``G12D``                ``p.G12D``, ``p.Gly12Asp``, ``p.(Gly12Asp)``
nonsense            ``R1188*``              ``R1188X``, ``p.Arg1188Ter``
synonymous          ``G12=``                ``p.G12G``, ``p.Gly12=``
codon, allele       ``G12``                 ``p.Gly12`` (a change at the codon, allele
unknown                                     not stated)
frameshift          ``P780fs``              ``P780Lfs*12``, ``p.Pro780LeufsTer12``
in-frame deletion   ``E746_A750del``        ``p.Glu746_Ala750del``
duplication         ``A775_G776dup``
insertion           ``A775_G776insYVMA``    ``p.Ala775_Gly776insTyrValMetAla``
deletion-insertion  ``E746_T751delinsA``    (a one-residue delins is a missense)
start lost          ``M1?``                 ``p.Met1?``
stop lost           ``*1211Qext``           ``p.Ter1211GlnextTer?``
splice site         ``X125_splice``         (as MAF files write them)
==================  ======================  =========================================

Frameshifts keep the first changed codon only (the new residue and the distance to the new
stop are dropped): matching works at the codon. Positions are 1-based codons of the gene's
reference transcript (see ``data/exons.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

__all__ = [
    "CodonOnly",
    "Deletion",
    "Delins",
    "Duplication",
    "Extension",
    "Frameshift",
    "Insertion",
    "ProteinChange",
    "SpliceSite",
    "StartLoss",
    "Substitution",
    "parse_protein_change",
]

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U", "Pyl": "O",
}
ONE_TO_THREE = {v: k for k, v in THREE_TO_ONE.items()}
AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"

#: Consequences that change the protein.
NON_SILENT = frozenset({
    "missense", "nonsense", "frameshift", "inframe_deletion", "inframe_insertion",
    "inframe_delins", "start_lost", "stop_lost", "splice", "codon",
})
#: Consequences that truncate the protein.
TRUNCATING = frozenset({"nonsense", "frameshift", "splice", "start_lost"})


class ProteinChange:
    """Base class of protein changes; ``str(change)`` is the canonical one-letter form.

    Every change has a first residue ``ref`` (one letter, ``*`` for stop), a 1-based ``position``
    (its codon), a last ``end`` codon, and a ``consequence`` (see :data:`NON_SILENT`).
    """

    __slots__ = ()
    consequence: ClassVar[str] = "other"
    ref: str
    position: int

    @property
    def end(self) -> int:
        """Last codon the change touches."""
        return self.position

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        """The canonical one-letter form."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Substitution(ProteinChange):
    """One residue replaced: missense (``G12D``), nonsense (``R1188*``), synonymous (``G12=``)."""

    ref: str
    position: int
    alt: str

    @property
    def consequence(self) -> str:  # type: ignore[override]
        if self.alt == self.ref:
            return "synonymous"
        if self.alt == "*":
            return "nonsense"
        if self.position == 1 and self.ref == "M":
            return "start_lost"
        return "missense"

    def format(self) -> str:
        alt = "=" if self.alt == self.ref else self.alt
        return f"{self.ref}{self.position}{alt}"


@dataclass(frozen=True, slots=True)
class CodonOnly(ProteinChange):
    """A change at a codon whose new allele is not stated (``G12``)."""

    ref: str
    position: int
    consequence: ClassVar[str] = "codon"

    def format(self) -> str:
        return f"{self.ref}{self.position}"


@dataclass(frozen=True, slots=True)
class Frameshift(ProteinChange):
    """A frameshift starting at a codon (``P780fs``)."""

    ref: str
    position: int
    consequence: ClassVar[str] = "frameshift"

    def format(self) -> str:
        return f"{self.ref}{self.position}fs"


@dataclass(frozen=True, slots=True)
class _Ranged(ProteinChange):
    ref: str
    position: int
    end_ref: str | None
    end_position: int | None

    @property
    def end(self) -> int:
        return self.end_position if self.end_position is not None else self.position

    def _span(self) -> str:
        if self.end_position is None:
            return f"{self.ref}{self.position}"
        return f"{self.ref}{self.position}_{self.end_ref}{self.end_position}"


@dataclass(frozen=True, slots=True)
class Deletion(_Ranged):
    """In-frame deletion of one residue or a range (``E746_A750del``)."""

    consequence: ClassVar[str] = "inframe_deletion"

    def format(self) -> str:
        return f"{self._span()}del"


@dataclass(frozen=True, slots=True)
class Duplication(_Ranged):
    """In-frame duplication (``A775_G776dup``)."""

    consequence: ClassVar[str] = "inframe_insertion"

    def format(self) -> str:
        return f"{self._span()}dup"


@dataclass(frozen=True, slots=True)
class Insertion(_Ranged):
    """In-frame insertion between two adjacent residues (``A775_G776insYVMA``)."""

    inserted: str = ""
    consequence: ClassVar[str] = "inframe_insertion"

    def format(self) -> str:
        return f"{self._span()}ins{self.inserted}"


@dataclass(frozen=True, slots=True)
class Delins(_Ranged):
    """Deletion-insertion (``E746_T751delinsA``)."""

    inserted: str = ""
    consequence: ClassVar[str] = "inframe_delins"

    def format(self) -> str:
        return f"{self._span()}delins{self.inserted}"


@dataclass(frozen=True, slots=True)
class StartLoss(ProteinChange):
    """Loss of the initiator methionine (``M1?``)."""

    ref: str = "M"
    position: int = 1
    consequence: ClassVar[str] = "start_lost"

    def format(self) -> str:
        return f"{self.ref}{self.position}?"


@dataclass(frozen=True, slots=True)
class Extension(ProteinChange):
    """Stop codon lost, protein extended (``*1211Qext``)."""

    position: int
    alt: str
    ref: str = "*"
    consequence: ClassVar[str] = "stop_lost"

    def format(self) -> str:
        return f"*{self.position}{self.alt}ext"


@dataclass(frozen=True, slots=True)
class SpliceSite(ProteinChange):
    """A splice-site change next to a codon (``X125_splice``, as MAF files write it)."""

    position: int
    ref: str = "X"
    consequence: ClassVar[str] = "splice"

    def format(self) -> str:
        return f"X{self.position}_splice"


_THREE = re.compile("|".join(THREE_TO_ONE))
_AA = r"[ACDEFGHIKLMNPQRSTVWYUO]"
_RES = r"[ACDEFGHIKLMNPQRSTVWYUO*]"
_SUB = re.compile(rf"^({_RES})([1-9]\d*)({_RES}|=)$")
_CODON = re.compile(rf"^({_AA})([1-9]\d*)$")
_FS = re.compile(rf"^({_RES})([1-9]\d*){_RES}?fs(?:\*(?:[1-9]\d*|\?))?$")
_RANGE = re.compile(
    rf"^({_AA})([1-9]\d*)(?:_({_AA})([1-9]\d*))?(del|dup|ins|delins)({_RES}*)$"
)
_EXT = re.compile(rf"^\*([1-9]\d*)({_AA})ext(?:\*(?:[1-9]\d*|\?))?$")
_SPLICE = re.compile(rf"^(?:X|{_RES})?([1-9]\d*)_splice$")
_START = re.compile(r"^M1(?:\?|_[A-Z*]?\d+\?)$")
_LOWER_SIMPLE = re.compile(r"^[a-z]\d+[a-z*]$")
_FAST_SUB = re.compile(r"^(?:p\.)?([ACDEFGHIKLMNPQRSTVWY])([1-9]\d*)([ACDEFGHIKLMNPQRSTVWY*=])$")
_NUCLEOTIDE = re.compile(r"^[cgnmr]\.")
_FSX = re.compile(r"fsX")
_X_STOP = re.compile(rf"^{_AA}[1-9]\d*X$")


def _one_letter(text: str) -> str:
    """Strip ``p.``, brackets and three-letter codes; stop written X becomes ``*``."""
    s = text.strip()
    if s[:2].lower() == "p.":
        s = s[2:]
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    s = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], s)
    if _LOWER_SIMPLE.match(s):
        s = s.upper()
    s = _FSX.sub("fs*", s)
    if _X_STOP.match(s):  # R1188X: X is the old way to write a stop
        s = s[:-1] + "*"
    return s


def _ranged(m: re.Match[str], text: str) -> ProteinChange:
    ref, pos, end_ref, end_pos, op, residues = m.groups()
    start = int(pos)
    end = int(end_pos) if end_pos is not None else None
    if end is not None and end <= start:
        msg = f"range end {end} is not after start {start} in {text!r}"
        raise ValueError(msg)
    if op in {"del", "dup"}:
        if residues:
            msg = f"{op} takes no residues after it in {text!r}"
            raise ValueError(msg)
        cls = Deletion if op == "del" else Duplication
        return cls(ref, start, end_ref, end)
    if not residues:
        msg = f"{op} needs the inserted residues in {text!r}"
        raise ValueError(msg)
    if op == "ins":
        if end is None or end != start + 1:
            msg = f"an insertion lies between two adjacent residues (e.g. A775_G776insYVMA): {text!r}"
            raise ValueError(msg)
        return Insertion(ref, start, end_ref, end, residues)
    if end is None and len(residues) == 1:
        return Substitution(ref, start, residues)
    return Delins(ref, start, end_ref, end, residues)


@lru_cache(maxsize=65536)
def parse_protein_change(text: str) -> ProteinChange:
    """Parse a protein change in one-letter or three-letter HGVS notation.

    Parameters
    ----------
    text
        ``G12D``, ``p.G12D``, ``p.Gly12Asp``, ``p.(Gly12Asp)``, ``R1188*``, ``p.Arg1188Ter``,
        ``P780Lfs*12``, ``E746_A750del``, ``A775_G776insYVMA``, ``E746_T751delinsA``, ...

    Returns
    -------
    The change; ``str()`` of it is the canonical one-letter form.

    Raises
    ------
    ValueError
        With the reason, when ``text`` is not a protein change (a cDNA change, an unknown
        residue, a malformed range, ...).

    Examples
    --------
    >>> parse_protein_change("p.Glu746_Ala750del")
    Deletion(ref='E', position=746, end_ref='A', end_position=750)
    """
    fast = _FAST_SUB.match(text)
    if fast is not None and not (fast.group(1) == "M" and fast.group(2) == "1"):
        ref, pos, alt = fast.groups()
        return Substitution(ref, int(pos), ref if alt == "=" else alt)
    raw = text.strip()
    if not raw:
        msg = "empty protein change"
        raise ValueError(msg)
    if _NUCLEOTIDE.match(raw):
        msg = f"{raw!r} is a {raw[0]}. (DNA/RNA) change; give the protein change (p.)"
        raise ValueError(msg)
    s = _one_letter(raw)
    if s in {"?", "=", "0", "0?"}:
        msg = f"{raw!r} states no protein change at a position"
        raise ValueError(msg)
    if (m := _SPLICE.match(s)) is not None:
        return SpliceSite(int(m.group(1)))
    if _START.match(s):
        return StartLoss()
    if (m := _SUB.match(s)) is not None:
        ref, pos, alt = m.groups()
        if ref == "*":
            msg = f"a stop codon replaced by a residue is an extension (*{pos}Qext): {raw!r}"
            raise ValueError(msg)
        return Substitution(ref, int(pos), ref if alt == "=" else alt)
    if (m := _CODON.match(s)) is not None:
        return CodonOnly(m.group(1), int(m.group(2)))
    if (m := _FS.match(s)) is not None:
        return Frameshift(m.group(1), int(m.group(2)))
    if (m := _RANGE.match(s)) is not None:
        return _ranged(m, raw)
    if (m := _EXT.match(s)) is not None:
        return Extension(int(m.group(1)), m.group(2))
    msg = (
        f"{raw!r} is not a protein change (expected e.g. G12D, p.Gly12Asp, R1188*, "
        "P780fs, E746_A750del, A775_G776insYVMA)"
    )
    raise ValueError(msg)
