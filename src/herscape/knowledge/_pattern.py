"""Biomarker patterns: the small language knowledge records use to say which tumours they cover.

Grammar (``&`` binds tighter than ``|``; words AND/OR/NOT are accepted too)::

    pattern := either ( ('|' | 'OR') either )*
    either  := unary ( ('&' | 'AND') unary )*
    unary   := ('!' | 'NOT') unary | '(' pattern ')' | atom
    atom    := MARKER '=' VALUE            e.g.  AREG=low   p95HER2=positive   FCGR3A=158F/F
             | GENE CHANGE                 e.g.  KRAS G12D  EGFR S492R  PTEN R233*  ERBB2 V777L
             | GENE 'codon' N[,N...]       e.g.  KRAS codon 12     KRAS codons 12,13
             | GENE 'exon' N[,N...]        e.g.  KRAS exon 2       PIK3CA exons 9,20
             | GENE CLASS                  e.g.  KRAS mutation     ERBB2 amplification
             | 'any'                       any tumour of the record's type

``any`` is for evidence from a population selected on no biomarker (an unselected trial:
SQUIRE, EXPAND): it is true of every profile, matches through none of its alterations, and is
therefore population evidence, never evidence about an alteration.

``CLASS`` is one of :data:`CLASSES`. ``GENE wild-type`` means no mutation in GENE. Changes are
normalised one-letter protein changes (``G12D``, ``R1188*``, ``E746_A750del``, ``P780fs``).
Examples::

    KRAS exons 2,3,4 | NRAS exons 2,3,4          # any RAS exon 2-4 mutation
    ERBB2 amplification & PIK3CA activating
    !(KRAS mutation) & !(NRAS mutation) & !(BRAF V600E)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from herscape.errors import KnowledgeBaseError

__all__ = [
    "CLASSES",
    "ANY",
    "All",
    "Any_",
    "Anything",
    "Change",
    "Class",
    "Codon",
    "Exon",
    "Marker",
    "Not",
    "Pattern",
    "atoms",
    "parse_pattern",
]

#: Functional classes a ``GENE CLASS`` atom may name.
CLASSES = frozenset(
    {
        "mutation",  # any non-silent sequence change
        "activating",  # known or likely gain-of-function change
        "truncating",  # nonsense, frameshift, splice-site
        "amplification",  # high-level copy gain (GISTIC 2)
        "gain",  # low-level copy gain (GISTIC 1) or amplification
        "loss",  # loss of function: deep deletion, truncating, or loss of protein
        "deletion",  # deep (homozygous) deletion (GISTIC -2)
        "overexpression",  # mRNA or protein above normal
        "low-expression",
        "wild-type",  # no mutation
        "fusion",
        "methylation",
        "delta16",  # ERBB2 exon 16 skipping (HER2d16)
    }
)

_CHANGE = re.compile(
    r"^(?:[A-Z*]\d+(?:[A-Z*]|fs(?:\*\d+)?|del|dup|ins[A-Z*]+|delins[A-Z*]+)?"
    r"|[A-Z]\d+_[A-Z]\d+(?:del|dup|ins[A-Z*]+|delins[A-Z*]+))$"
)
_GENE = re.compile(r"^[A-Z][A-Z0-9\-]*$")
_NUMBERS = re.compile(r"^\d+(?:,\d+)*$")


class Pattern:
    """Base class of pattern nodes; ``str(p)`` gives the canonical text."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Change(Pattern):
    gene: str
    change: str

    def __str__(self) -> str:
        return f"{self.gene} {self.change}"


@dataclass(frozen=True, slots=True)
class Codon(Pattern):
    gene: str
    codons: tuple[int, ...]

    def __str__(self) -> str:
        word = "codon" if len(self.codons) == 1 else "codons"
        return f"{self.gene} {word} {','.join(map(str, self.codons))}"


@dataclass(frozen=True, slots=True)
class Exon(Pattern):
    gene: str
    exons: tuple[int, ...]

    def __str__(self) -> str:
        word = "exon" if len(self.exons) == 1 else "exons"
        return f"{self.gene} {word} {','.join(map(str, self.exons))}"


@dataclass(frozen=True, slots=True)
class Class(Pattern):
    gene: str
    name: str

    def __str__(self) -> str:
        return f"{self.gene} {self.name}"


@dataclass(frozen=True, slots=True)
class Marker(Pattern):
    name: str
    value: str

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


#: The word for "any tumour of the record's type" (a population selected on no biomarker).
ANY = "any"


@dataclass(frozen=True, slots=True)
class Anything(Pattern):
    """True of every profile: the record selected on no biomarker."""

    def __str__(self) -> str:
        return ANY


@dataclass(frozen=True, slots=True)
class Not(Pattern):
    operand: Pattern

    def __str__(self) -> str:
        inner = str(self.operand)
        return f"!{inner}" if isinstance(self.operand, (Not, Marker)) else f"!({inner})"


@dataclass(frozen=True, slots=True)
class All(Pattern):
    operands: tuple[Pattern, ...]

    def __str__(self) -> str:
        return " & ".join(_wrap(p, Any_) for p in self.operands)


@dataclass(frozen=True, slots=True)
class Any_(Pattern):
    operands: tuple[Pattern, ...]

    def __str__(self) -> str:
        return " | ".join(str(p) for p in self.operands)


def _wrap(p: Pattern, kind: type) -> str:
    return f"({p})" if isinstance(p, kind) else str(p)


_TOKEN = re.compile(r"\s*(\(|\)|&|\||!(?!=)|[^()&|!]+)")
_WORD_OPS = {"AND": "&", "OR": "|", "NOT": "!"}


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        pos = m.end()
        tok = m.group(1).strip()
        if not tok:
            continue
        if tok in "()&|!":
            out.append(tok)
            continue
        # split words AND/OR/NOT out of atom text
        words: list[str] = []
        for w in tok.split():
            if w in _WORD_OPS:
                if words:
                    out.append(" ".join(words))
                    words = []
                out.append(_WORD_OPS[w])
            else:
                words.append(w)
        if words:
            out.append(" ".join(words))
    return out


def parse_atom(text: str) -> Pattern:
    """Parse one atom (no operators). Raises ``ValueError`` with the reason."""
    if "=" in text:
        name, _, value = text.partition("=")
        name, value = name.strip(), value.strip()
        if not name or not value:
            msg = f"marker atom {text!r} needs NAME=VALUE"
            raise ValueError(msg)
        return Marker(name, value)
    if text.strip() == ANY:
        return Anything()
    parts = text.split()
    if len(parts) < 2:
        msg = f"atom {text!r} needs a gene and a change, codon, exon or class"
        raise ValueError(msg)
    gene, rest = parts[0], parts[1:]
    if not _GENE.match(gene):
        msg = f"{gene!r} is not a gene symbol (upper case HGNC symbol expected)"
        raise ValueError(msg)
    head = rest[0].lower()
    if head in {"codon", "codons", "exon", "exons"}:
        nums = "".join(rest[1:])
        if not _NUMBERS.match(nums):
            msg = f"{head} list {' '.join(rest[1:])!r} must be numbers separated by commas"
            raise ValueError(msg)
        values = tuple(int(n) for n in nums.split(","))
        return Codon(gene, values) if head.startswith("codon") else Exon(gene, values)
    joined = "-".join(w.lower() for w in rest)
    if joined in CLASSES:
        return Class(gene, joined)
    if len(rest) == 1 and _CHANGE.match(rest[0]):
        return Change(gene, rest[0])
    msg = (
        f"{' '.join(rest)!r} is neither a protein change (e.g. G12D, R1188*, E746_A750del) "
        f"nor a class ({', '.join(sorted(CLASSES))})"
    )
    raise ValueError(msg)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def _peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _take(self) -> str:
        tok = self._peek()
        if tok is None:
            msg = f"pattern {self.text!r} ends unexpectedly"
            raise ValueError(msg)
        self.i += 1
        return tok

    def parse(self) -> Pattern:
        node = self._or()
        if self._peek() is not None:
            msg = f"unexpected {self._peek()!r} in pattern {self.text!r}"
            raise ValueError(msg)
        return node

    def _or(self) -> Pattern:
        items = [self._and()]
        while self._peek() == "|":
            self._take()
            items.append(self._and())
        return items[0] if len(items) == 1 else Any_(tuple(items))

    def _and(self) -> Pattern:
        items = [self._unary()]
        while self._peek() == "&":
            self._take()
            items.append(self._unary())
        return items[0] if len(items) == 1 else All(tuple(items))

    def _unary(self) -> Pattern:
        tok = self._take()
        if tok == "!":
            return Not(self._unary())
        if tok == "(":
            node = self._or()
            if self._peek() != ")":
                msg = f"missing ')' in pattern {self.text!r}"
                raise ValueError(msg)
            self._take()
            return node
        if tok in {")", "&", "|"}:
            msg = f"unexpected {tok!r} in pattern {self.text!r}"
            raise ValueError(msg)
        return parse_atom(tok)


def parse_pattern(text: str) -> Pattern:
    """Parse a biomarker pattern.

    Raises
    ------
    KnowledgeBaseError
        With ``field="biomarker"`` and the reason, when the text does not parse.

    Examples
    --------
    >>> str(parse_pattern("KRAS exons 2,3,4 OR NRAS exons 2,3,4"))
    'KRAS exons 2,3,4 | NRAS exons 2,3,4'
    """
    try:
        return _Parser(text).parse()
    except ValueError as exc:
        raise KnowledgeBaseError(str(exc), field="biomarker", value=text) from exc


def atoms(pattern: Pattern) -> list[Pattern]:
    """The atoms of a pattern, left to right."""
    if isinstance(pattern, Not):
        return atoms(pattern.operand)
    if isinstance(pattern, All | Any_):
        return [a for p in pattern.operands for a in atoms(p)]
    return [pattern]
