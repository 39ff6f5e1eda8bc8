"""Alteration strings as people write them: ``KRAS G12D``, ``HER2 amplified``, ``AREG=low``.

>>> from herscape.profile import parse_alteration
>>> [str(f) for f in parse_alteration("HER2 amplified").features]
['ERBB2 amplification']
>>> [str(f) for f in parse_alteration("p.Gly12Asp", gene="KRAS").features]
['KRAS G12D']

Accepted forms (gene symbols or aliases; case-insensitive words):

* ``GENE CHANGE``: ``KRAS G12D``, ``KRAS p.Gly12Asp``, ``PTEN R233*``, ``EGFR E746_A750del``
* ``GENE codon N [mutation]``, ``GENE exon N [mutation|deletion|insertion|skipping]``
* ``GENE amplification|amplified|amp|gain|loss|deep deletion|homdel``
* ``GENE mutation|mutated|mutant``, ``GENE wild-type|wt`` (assessed, no mutation),
  ``GENE not amplified`` (assessed, no copy change)
* ``GENE fusion``, ``GENE1::GENE2``; ``GENE methylation``
* ``GENE overexpression|high|low|positive|negative|low expression``
* ``ERBB2 delta16``, ``HER2Δ16``, ``HER2d16``, ``ERBB2 exon 16 skipping``
* markers ``NAME=VALUE`` or ``NAME VALUE`` from the marker vocabulary (``herscape kb markers``):
  ``AREG=low``, ``p95HER2`` (alone: positive), ``HER2 IHC 3+``, ``MSI-high``, ``MSS``,
  ``TMB=12.5``, ``FCGR3A=158V/F``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from herscape.profile._data import read_table
from herscape.profile._features import (
    CopyNumber,
    Expression,
    Feature,
    Fusion,
    Germline,
    MarkerFeature,
    MeasuredCopyNumber,
    Methylation,
    Phenotype,
    Protein,
    Signature,
    Splice,
    make_mutation,
)
from herscape.profile._genes import closest_genes, normalize_gene
from herscape.profile._protein import CodonOnly, parse_protein_change
from herscape.profile._vocab import MarkerVocabulary, default_vocabulary, marker_level

__all__ = ["ParsedAlteration", "parse_alteration", "parse_marker"]

_MARKER_CLASS: dict[str, type[MarkerFeature]] = {
    "expression": Expression,
    "protein": Protein,
    "germline": Germline,
    "signature": Signature,
    "copy_number": MeasuredCopyNumber,
    "phenotype": Phenotype,
}
_VALUE_SYNONYMS = {
    "+": "positive", "pos": "positive", "-": "negative", "neg": "negative", "h": "high",
    "l": "low", "hi": "high", "lo": "low", "overexpressed": "high", "amp": "amplified",
    "non-amplified": "not amplified", "wt": "158V/V",
}
_SHORTHAND = {  # whole-word marker statements
    "MSS": ("MSI", "stable"), "MSI-H": ("MSI", "high"), "MSI-L": ("MSI", "low"),
    "DMMR": ("MSI", "high"), "PMMR": ("MSI", "stable"), "TMB-H": ("TMB", "high"),
    "TMB-L": ("TMB", "low"),
}
_COPY = {
    "amplification": "amplification", "amplified": "amplification", "amp": "amplification",
    "high-level amplification": "amplification", "gain": "gain", "gained": "gain",
    "copy gain": "gain", "copy number gain": "gain", "low-level gain": "gain",
    "loss": "loss", "lost": "loss", "copy loss": "loss", "shallow deletion": "loss",
    "heterozygous loss": "loss", "hetloss": "loss", "copy number loss": "loss",
    "deep deletion": "deep_deletion", "homozygous deletion": "deep_deletion",
    "homdel": "deep_deletion", "deleted": "deep_deletion", "deletion": "deep_deletion",
    "deep_deletion": "deep_deletion",
}
_NOT_COPY = {"not amplified", "non-amplified", "no amplification", "copy neutral", "neutral",
             "diploid", "amplification negative"}
_WILD = {"wild-type", "wildtype", "wild type", "wt", "not mutated", "no mutation",
         "mutation negative", "unmutated"}
_MUTATED = {"mutation", "mutated", "mutant", "mut", "mutation positive", "mutations"}
_FUSION = {"fusion", "fusions", "rearrangement", "rearranged", "translocation", "fusion positive"}
_NOT_FUSION = {"no fusion", "fusion negative", "not rearranged"}
_METHYL = {"methylation", "methylated", "promoter methylation", "hypermethylation",
           "hypermethylated"}
_EXPRESSION = {
    "overexpression": "high", "overexpressed": "high", "high expression": "high", "high": "high",
    "expression high": "high", "upregulated": "high", "up-regulated": "high",
    "positive": "positive", "low": "low", "low expression": "low", "expression low": "low",
    "underexpressed": "low", "underexpression": "low", "downregulated": "low",
    "down-regulated": "low", "negative": "negative", "loss of expression": "negative",
    "expression loss": "negative", "low-expression": "low",
}
_EXON_WORDS = {
    "": "unspecified", "mutation": "unspecified", "mutated": "unspecified",
    "mutations": "unspecified", "deletion": "inframe_deletion", "deletions": "inframe_deletion",
    "del": "inframe_deletion", "inframe deletion": "inframe_deletion",
    "in-frame deletion": "inframe_deletion", "insertion": "inframe_insertion",
    "insertions": "inframe_insertion", "ins": "inframe_insertion",
    "inframe insertion": "inframe_insertion", "in-frame insertion": "inframe_insertion",
    "duplication": "inframe_insertion", "missense": "missense", "frameshift": "frameshift",
    "nonsense": "nonsense", "inframe delins": "inframe_delins",
}
_DELTA16 = re.compile(r"^(?:HER2|ERBB2|HER-2)\s*[-_ ]?\s*(?:Δ|delta|d|del)\s*16$", re.I)
_SYNONYMOUS = re.compile(r"\s\S*\d+=$")  # "KRAS G12=": a synonymous change, not a marker
_EXON = re.compile(r"^exons?\s*(\d+)\s*(.*)$")
_CODON = re.compile(r"^codons?\s*(\d+)\s*(?:mutation|mutated|mutant)?$")


@dataclass(frozen=True, slots=True)
class ParsedAlteration:
    """What one alteration string states: features, plus what it shows was assessed."""

    features: tuple[Feature, ...] = ()
    assessed: tuple[tuple[str, str], ...] = ()


def _canonical_value(marker, value: str) -> tuple[str, float | None] | None:
    v = value.strip()
    v = _VALUE_SYNONYMS.get(v.lower(), v) if v.lower() != "wt" else v
    for allowed in marker.values:
        if allowed.lower() == v.lower():
            return allowed, None
    if marker.numeric_unit is not None:
        try:
            number = float(v)
        except ValueError:
            return None
        return marker_level(marker, number), number
    return None


def parse_marker(name: str, value: str, *, vocabulary: MarkerVocabulary | None = None
                 ) -> MarkerFeature:
    """A marker statement ``NAME=VALUE`` checked against the marker vocabulary.

    Raises
    ------
    ValueError
        Naming the marker's accepted values (or the closest marker names) when it is not valid.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    marker = vocab.find_marker(name)
    found = _canonical_value(marker, value) if marker is not None else None
    if marker is None or found is None:
        raise ValueError(vocab.marker_problem(name, value) or f"marker {name}={value} is not valid")
    canonical, number = found
    cls = _MARKER_CLASS.get(str(marker.kind), Protein)
    return cls(marker.id, canonical, number, marker.gene)


def _try_marker(words: list[str], vocab: MarkerVocabulary) -> MarkerFeature | None:
    text = " ".join(words)
    short = _SHORTHAND.get(text.upper())
    if short is not None:
        return parse_marker(*short, vocabulary=vocab)
    for i in range(len(words) - 1, 0, -1):
        marker = vocab.find_marker(" ".join(words[:i]))
        if marker is not None and _canonical_value(marker, " ".join(words[i:])) is not None:
            return parse_marker(" ".join(words[:i]), " ".join(words[i:]), vocabulary=vocab)
    if len(words) == 1:
        if "-" in text:  # MSI-high, TMB-high
            name, _, value = text.rpartition("-")
            marker = vocab.find_marker(name)
            if marker is not None and _canonical_value(marker, value) is not None:
                return parse_marker(name, value, vocabulary=vocab)
        marker = vocab.find_marker(text)
        if marker is not None and str(marker.kind) == "protein" and "positive" in marker.values:
            return parse_marker(text, "positive", vocabulary=vocab)  # "p95HER2" alone
    return None


def _expression(gene: str, value: str, vocab: MarkerVocabulary) -> MarkerFeature:
    marker = vocab.find_marker(gene)
    if marker is not None and marker.gene == gene and str(marker.kind) == "expression":
        return Expression(marker.id, value, None, gene)
    return Expression(gene, value, None, gene)


def _codon_change(gene: str, codon: int) -> CodonOnly:
    """A codon-level change; the reference residue comes from the hotspot table when listed."""
    _, rows = read_table("activating.tsv")
    refs = [rule[0] for g, rule, *_ in rows if g == gene and rule[1:] == str(codon)]
    return CodonOnly(refs[0] if refs else "", codon)


def _gene_part(gene: str, rest: str, vocab: MarkerVocabulary) -> ParsedAlteration:  # noqa: PLR0912 - one branch per written form
    low = " ".join(rest.lower().replace("_", " ").split()) if rest else ""
    low = low.replace("in frame", "in-frame")
    if low in _COPY:
        return ParsedAlteration((CopyNumber(gene, _COPY[low]),))
    if low in _NOT_COPY:
        return ParsedAlteration((), (("copy_number", gene),))
    if low in _WILD:
        return ParsedAlteration((), (("mutation", gene),))
    if low in _MUTATED:
        return ParsedAlteration((make_mutation(gene),))
    if low in _FUSION:
        return ParsedAlteration((Fusion(gene, None),))
    if low in _NOT_FUSION:
        return ParsedAlteration((), (("fusion", gene),))
    if low in _METHYL:
        return ParsedAlteration((Methylation(gene),))
    if low in _EXPRESSION:
        return ParsedAlteration((_expression(gene, _EXPRESSION[low], vocab),))
    if low in {"delta16", "d16", "δ16", "del16"} and gene == "ERBB2":
        return ParsedAlteration((Splice(gene, 16),))
    if (m := _EXON.match(low)) is not None:
        exon, what = int(m.group(1)), m.group(2).strip()
        if what in {"skipping", "skip", "skipped"}:
            return ParsedAlteration((Splice(gene, exon),))
        if what not in _EXON_WORDS:
            msg = f"exon-level alteration {rest!r}: expected mutation, deletion, insertion or skipping"
            raise ValueError(msg)
        return ParsedAlteration((make_mutation(gene, exon=exon, consequence=_EXON_WORDS[what]),))
    if (m := _CODON.match(low)) is not None:
        return ParsedAlteration((make_mutation(gene, _codon_change(gene, int(m.group(1)))),))
    words = rest.split()
    if len(words) > 1 and words[-1].lower() in _MUTATED:
        words = words[:-1]
    change_text = " ".join(words)
    try:
        change = parse_protein_change(change_text)
    except ValueError as exc:
        msg = (f"{rest!r} is not an alteration of {gene}: {exc}; or a class such as "
               "amplification, mutation, wild-type, fusion, overexpression, exon 19 deletion")
        raise ValueError(msg) from exc
    return ParsedAlteration((make_mutation(gene, change),))


def parse_alteration(text: str, *, gene: str | None = None,  # noqa: PLR0912 - one branch per written form
                     vocabulary: MarkerVocabulary | None = None) -> ParsedAlteration:
    """Read one alteration string (see the module doc for the forms).

    Parameters
    ----------
    text
        The alteration, e.g. ``"KRAS G12D"``, ``"HER2 amplified"``, ``"AREG=low"``.
    gene
        The gene, when ``text`` is only the change (``"p.G12D"``).
    vocabulary
        Marker vocabulary (default: the shipped one).

    Raises
    ------
    ValueError
        With the reason (unknown gene with the closest symbols, bad change, bad marker value).
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    s = " ".join(text.replace("\u0394", " delta").split())
    if not s:
        msg = "empty alteration"
        raise ValueError(msg)
    if gene is not None:
        symbol = normalize_gene(gene)
        if symbol is None:
            raise ValueError(_unknown_gene(gene))
        return _gene_part(symbol, s, vocab)
    if "=" in s and not _SYNONYMOUS.search(s):
        name, _, value = s.partition("=")
        if not name.strip() or not value.strip():
            msg = f"marker {s!r} needs NAME=VALUE"
            raise ValueError(msg)
        return ParsedAlteration((parse_marker(name.strip(), value.strip(), vocabulary=vocab),))
    if "::" in s:
        parts = [p.strip() for p in s.split("::")]
        if len(parts) != 2 or not all(parts):
            msg = f"fusion {s!r} must be GENE1::GENE2"
            raise ValueError(msg)
        genes = [normalize_gene(p) for p in parts]
        for raw, sym in zip(parts, genes, strict=True):
            if sym is None:
                raise ValueError(_unknown_gene(raw))
        return ParsedAlteration((Fusion(genes[0], genes[1]),))
    if _DELTA16.match(s.replace(" delta", "delta").replace("delta", "delta")):
        return ParsedAlteration((Splice("ERBB2", 16),))
    words = s.split()
    marker = _try_marker(words, vocab)
    if marker is not None:
        return ParsedAlteration((marker,))
    symbol = normalize_gene(words[0])
    if symbol is None and ":" in words[0]:  # KRAS:G12D
        head, _, tail = words[0].partition(":")
        symbol, words = normalize_gene(head), [head, tail, *words[1:]]
    if symbol is None:
        raise ValueError(_unknown_gene(words[0]))
    if len(words) == 1:
        msg = f"{s!r} names a gene but no alteration (e.g. '{symbol} G12D', '{symbol} amplification')"
        raise ValueError(msg)
    return _gene_part(symbol, " ".join(words[1:]), vocab)


def _unknown_gene(text: str) -> str:
    close = closest_genes(text)
    hint = f" (closest: {', '.join(close)})" if close else ""
    return f"{text!r} is not a known gene symbol or marker{hint}; see docs/profiles.md"
