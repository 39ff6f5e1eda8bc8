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

import math
import re
from dataclasses import dataclass

from herscape.profile._data import read_table
from herscape.profile._features import (
    CopyNumber,
    Expression,
    Feature,
    Fusion,
    Germline,
    Intragenic,
    MarkerFeature,
    MeasuredCopyNumber,
    Methylation,
    Mutation,
    Phenotype,
    Protein,
    Signature,
    Splice,
    make_mutation,
)
from herscape.profile._genes import closest_genes, is_well_formed, normalize_gene
from herscape.profile._protein import CodonOnly, parse_protein_change
from herscape.profile._svtext import parse_sv_text
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
#: Value synonyms of one marker only (a "4" is a number for TMB, a line for line_of_therapy).
_MARKER_VALUE_SYNONYMS = {
    "line_of_therapy": {
        "first": "1", "1st": "1", "first line": "1", "first-line": "1", "1l": "1",
        "second": "2", "2nd": "2", "second line": "2", "second-line": "2", "2l": "2",
        "third": "3", "3rd": "3", "third line": "3", "third-line": "3", "3l": "3",
        "4": "later", "4+": "later", "4th": "later", "fourth": "later", ">=4": "later",
        "later line": "later", "5": "later", "6": "later",
    },
    "sidedness": {"left-sided": "left", "right-sided": "right", "l": "left", "r": "right",
                  "distal": "left", "proximal": "right"},
}
_SHORTHAND = {  # whole-word marker statements
    "MSS": ("MSI", "stable"), "MSI-H": ("MSI", "high"), "MSI-L": ("MSI", "low"),
    "DMMR": ("MSI", "high"), "PMMR": ("MSI", "stable"), "TMB-H": ("TMB", "high"),
    "TMB-L": ("TMB", "low"), "MSI HIGH": ("MSI", "high"), "MSS/PMMR": ("MSI", "stable"),
    "MICROSATELLITE INSTABILITY-HIGH": ("MSI", "high"),
    "MICROSATELLITE INSTABILITY HIGH": ("MSI", "high"),
    "MICROSATELLITE STABLE": ("MSI", "stable"),
    "TUMOR MUTATIONAL BURDEN-HIGH": ("TMB", "high"), "TUMOUR MUTATIONAL BURDEN-HIGH": ("TMB", "high"),
    "TUMOR MUTATIONAL BURDEN HIGH": ("TMB", "high"), "TUMOUR MUTATIONAL BURDEN HIGH": ("TMB", "high"),
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
    """What one alteration string states: features, plus what it shows was assessed.

    ``unlisted`` names well-formed gene symbols outside herscape's list that the string used
    (accepted, informational: the knowledge does not name them).
    """

    features: tuple[Feature, ...] = ()
    assessed: tuple[tuple[str, str], ...] = ()
    unlisted: tuple[str, ...] = ()


def _canonical_value(marker, value: str) -> tuple[str, float | None] | None:
    v = value.strip()
    own = _MARKER_VALUE_SYNONYMS.get(marker.id, {})
    if v.lower() in own:
        v = own[v.lower()]
    v = _VALUE_SYNONYMS.get(v.lower(), v) if v.lower() != "wt" else v
    for allowed in marker.values:
        if allowed.lower() == v.lower():
            return allowed, None
    if marker.numeric_unit is not None:
        try:
            number = float(v)
        except ValueError:
            return None
        if not math.isfinite(number):  # "inf", "nan", "1e309": not a measurement
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
    if (wt := _part_wild_type(gene, " ".join(rest.split()))) is not None:
        return wt
    if (short := _exon_shorthand(gene, rest)) is not None:
        rest = short
    if rest.strip().lower() in {"viii", "v iii"} and gene == "EGFR":
        return ParsedAlteration((Intragenic("EGFR", "deletion", 2, 7),))
    if re.fullmatch(r"exons?\s*(\d+)\s*[-–]\s*(\d+)\s*(deletion|del)", rest.strip(), re.I):
        m = re.fullmatch(r"exons?\s*(\d+)\s*[-–]\s*(\d+)\s*(?:deletion|del)", rest.strip(), re.I)
        return ParsedAlteration((Intragenic(gene, "deletion", int(m.group(1)), int(m.group(2))),))  # type: ignore[union-attr]
    if "/" in rest and " " not in rest.strip():  # EGFR L858R/T790M: two changes
        parts = [p for p in rest.strip().split("/") if p]
        changes = []
        for p in parts:
            try:
                changes.append(parse_protein_change(p))
            except ValueError:
                changes = []
                break
        if len(changes) > 1:
            return ParsedAlteration(tuple(make_mutation(gene, c) for c in changes))
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


# ---------------------------------------------------------------------------------------------
# notations reports print (docs/profiles.md, "Accepted notations")

_VAF = re.compile(r"[\s,;(]*\b(?:VAF|AF|allele fraction|allele frequency|variant allele (?:fraction|frequency))"
                  r"\s*[:=]?\s*(\d+(?:\.\d+)?)\s*(%)?\s*\)?\s*$", re.I)
_CDNA = re.compile(r"\s*\(\s*(c\.[^()\s]+)\s*\)\s*")
_P_IN_PARENS = re.compile(r"^(\S+)\s+(c\.\S+)\s*\(\s*(p\.[^()\s]+)\s*\)$")
_TRANSCRIPT = re.compile(r"^(N[MP]_\d+)(?:\.\d+)?\s*:\s*(.+)$")
_RAS_WT = re.compile(r"^(?:all|extended|full)?[- ]?RAS(?:\s*(?:/|and|&)\s*(BRAF))?\s+"
                     r"(?:wild[- ]?type|wt|wildtype|negative|not mutated|unmutated)$", re.I)
_WT_WORDS = r"(?:wild[- ]?type|wt|wildtype|not mutated|unmutated|negative)"
_PART_WT = re.compile(r"^(exons?|codons?)\s*([\d\s,\-–/and&+]+?)\s*" + _WT_WORDS + r"$", re.I)
_EXON_SHORT = re.compile(r"^(?:ex(?:on)?\s*(\d+)\s*(del|ins|dup|skip|skipping|mut)|(del|ins)\s*(\d+)|"
                         r"(\d+)\s*(del|ins))$", re.I)
_GLUED = re.compile(r"^([A-Za-z][A-Za-z0-9]*?)(ex\d+(?:del|ins|dup|skip)?|vIII)$", re.I)
_HER2_HEAD = re.compile(r"^(?:HER2|HER-2|ERBB2|c-erbB-2|HER2/neu)(?:\s+status)?\s*[:=]?\s*", re.I)
_ISH = r"(?:FISH|ISH|SISH|CISH|DISH|BDISH)"
_HER2_IHC = re.compile(r"^(?:IHC\s*)?([0-3])\s*\+?(?:\s*(?:/|,|and|with|;)?\s*" + _ISH +
                       r"\s*[:=]?\s*(positive|pos|\+|amplified|amp|negative|neg|-|not amplified|non-amplified))?$",
                       re.I)
_HER2_WORDS = {
    "+": "positive", "positive": "positive", "pos": "positive", "amplified positive": "positive",
    "low": "low", "-low": "low", "low expression": "low", "low-expression": "low",
    "ultralow": "ultralow", "ultra-low": "ultralow", "-ultralow": "ultralow", "ultra low": "ultralow",
    "-0": "zero", "zero": "zero", "null": "zero",
    "-": "negative", "negative": "negative", "neg": "negative",
}
_ISH_POSITIVE = {"positive", "pos", "+", "amplified", "amp"}


def _her2(text: str, vocab: MarkerVocabulary) -> ParsedAlteration | None:
    """HER2 categories and IHC/ISH results: ``HER2+``, ``HER2 3+``, ``HER2-low``, ``HER2 IHC 2+
    FISH negative``, ``HER2-0``, ``HER2 ultralow``. Never an expression level."""
    m = _HER2_HEAD.match(text)
    if m is None:
        return None
    rest = " ".join(text[m.end():].split()).lower()
    if not rest and not text[m.end() - 1:].strip().startswith(("+", "-")):
        return None
    rest = rest if rest else text[m.end():].strip()
    if text[:m.end()].rstrip().endswith(("+", "-")):  # "HER2+", "HER2-"
        rest = text[:m.end()].rstrip()[-1] + rest
    found: list[Feature] = []
    status = _HER2_WORDS.get(rest) or _HER2_WORDS.get(rest.lstrip("-").strip())
    if rest.startswith("-") and rest not in _HER2_WORDS and status is not None:
        pass  # "HER2-low", "HER2-ultralow"
    if status is None:
        ihc = _HER2_IHC.match(rest)
        if ihc is None:
            return None
        score, ish = int(ihc.group(1)), (ihc.group(2) or "").lower()
        found.append(parse_marker("HER2_IHC", "0" if score == 0 else f"{score}+", vocabulary=vocab))
        if ish:
            amplified = ish in _ISH_POSITIVE
            found.append(parse_marker("HER2_FISH", "amplified" if amplified else "not amplified",
                                      vocabulary=vocab))
        status = _her2_category(score, ish)
        if status is None:  # IHC 2+ without ISH: equivocal, no category
            return ParsedAlteration(tuple(found), (("marker", "HER2_IHC"),))
    found.append(parse_marker("HER2_status", status, vocabulary=vocab))
    return ParsedAlteration(tuple(found))


def _her2_category(score: int, ish: str) -> str | None:
    if ish:
        if ish in _ISH_POSITIVE:
            return "positive"
        return "zero" if score == 0 else "low"
    return {0: "zero", 1: "low", 3: "positive"}.get(score)


def _ras_wild_type(text: str) -> ParsedAlteration | None:
    """``RAS wild-type`` / ``all-RAS wt``: KRAS and NRAS exons 2, 3 and 4 assessed, none mutated
    (the extended RAS test of the anti-EGFR labels); ``RAS/BRAF wild-type`` adds BRAF V600."""
    m = _RAS_WT.match(text)
    if m is None:
        return None
    pairs = [("mutation", f"{g} exon {e}") for g in ("KRAS", "NRAS") for e in (2, 3, 4)]
    if m.group(1):
        pairs.append(("mutation", "BRAF codon 600"))
    return ParsedAlteration((), tuple(pairs))


def _numbers(text: str) -> list[int]:
    """``2-4`` -> [2, 3, 4]; ``2, 3 and 4`` -> [2, 3, 4]; ``12/13`` -> [12, 13]."""
    out: list[int] = []
    for part in re.split(r"\s*(?:,|and|&|/|\+)\s*", text.strip()):
        if not part:
            continue
        lo, dash, hi = part.replace("–", "-").partition("-")
        if dash:
            if not (lo.strip().isdigit() and hi.strip().isdigit()) or int(hi) < int(lo):
                msg = f"bad range {part!r}"
                raise ValueError(msg)
            out.extend(range(int(lo), int(hi) + 1))
        elif part.strip().isdigit():
            out.append(int(part))
        else:
            msg = f"{part!r} is not a number"
            raise ValueError(msg)
    return out


def _part_wild_type(gene: str, rest: str) -> ParsedAlteration | None:
    """``KRAS exon 2 wild type``, ``KRAS exons 2-4 wt``, ``KRAS codons 12 and 13 wild-type``."""
    m = _PART_WT.match(rest)
    if m is None:
        return None
    part = "exon" if m.group(1).lower().startswith("exon") else "codon"
    numbers = _numbers(m.group(2))
    if not numbers:
        return None
    return ParsedAlteration((), tuple(("mutation", f"{gene} {part} {n}") for n in numbers))


def _exon_shorthand(gene: str, rest: str) -> str | None:
    """``ex19del``/``del19``/``19del`` -> ``exon 19 deletion``; ``ex20ins``; ``ex14`` of MET
    (and ``ex14 skipping``) -> ``exon 14 skipping``."""
    r = rest.strip().lower().replace(" ", "")
    if gene == "MET" and r in {"ex14", "exon14", "ex14skip", "ex14skipping", "exon14skip"}:
        return "exon 14 skipping"
    m = _EXON_SHORT.match(r)
    if m is None:
        return None
    exon = m.group(1) or m.group(4) or m.group(5)
    word = (m.group(2) or m.group(3) or m.group(6)).lower()
    what = {"del": "deletion", "ins": "insertion", "dup": "duplication", "skip": "skipping",
            "skipping": "skipping", "mut": "mutation"}[word]
    return f"exon {exon} {what}"


def _strip_fields(text: str) -> tuple[str, float | None, str | None]:
    """Remove a trailing VAF and a parenthesised cDNA change; return them as fields.

    Raises ``ValueError`` for a VAF outside 0-100 % (or 0-1).
    """
    af = None
    m = _VAF.search(text)
    if m is not None:
        value = float(m.group(1))
        if m.group(2):
            value /= 100
        elif value > 1:
            value /= 100  # "VAF 12" is a percentage
        if not 0 <= value <= 1:
            msg = f"allele fraction {m.group(0).strip()!r} is outside 0-100%"
            raise ValueError(msg)
        af, text = round(value, 4), text[:m.start()].strip()
    cdna = None
    p = _P_IN_PARENS.match(text)
    if p is not None:  # "KRAS c.34G>T (p.Gly12Cys)"
        return f"{p.group(1)} {p.group(3)}", af, p.group(2)
    c = _CDNA.search(text)
    if c is not None:
        cdna, text = c.group(1), (text[:c.start()] + " " + text[c.end():]).strip()
    return text, af, cdna


def _transcript_gene(accession: str) -> str | None:
    from herscape.profile._genemodel import _exons

    for gene, ranges in _exons().items():
        if any(r.transcript.split(".")[0] == accession for r in ranges):
            return gene
    return None


def _with_fields(parsed: ParsedAlteration, af: float | None, cdna: str | None) -> ParsedAlteration:
    if af is None and cdna is None:
        return parsed
    from dataclasses import replace

    muts = [f for f in parsed.features if isinstance(f, Mutation)]
    if len(muts) != 1:
        msg = "a VAF or cDNA change applies to one protein change"
        raise ValueError(msg)
    feats = tuple(replace(f, allele_fraction=af if af is not None else f.allele_fraction,
                          cdna=cdna or f.cdna) if isinstance(f, Mutation) else f
                  for f in parsed.features)
    return ParsedAlteration(feats, parsed.assessed, parsed.unlisted)


def _resolve(word: str) -> tuple[str | None, bool]:
    """(symbol, unlisted): a listed symbol or alias; a well-formed symbol with no close listed
    gene (kept, unlisted); ``None`` otherwise (a near miss of a known gene is a typo)."""
    symbol = normalize_gene(word)
    if symbol is not None:
        return symbol, False
    if is_well_formed(word) and not closest_genes(word):
        return (word if "orf" in word else word.upper()), True
    return None, False


def parse_alteration(text: str, *, gene: str | None = None,
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
    s, af, cdna = _strip_fields(s) if " " in s else (s, None, None)
    if not s:
        msg = f"{text!r} gives an allele fraction or cDNA change but no alteration"
        raise ValueError(msg)
    if "=" in s and not _SYNONYMOUS.search(s):
        name, _, value = s.partition("=")
        if not name.strip() or not value.strip():
            msg = f"marker {s!r} needs NAME=VALUE"
            raise ValueError(msg)
        return _with_fields(
            ParsedAlteration((parse_marker(name.strip(), value.strip(), vocabulary=vocab),)), af, cdna)
    return _with_fields(_parse_statement(s, vocab), af, cdna)


def _parse_statement(s: str, vocab: MarkerVocabulary) -> ParsedAlteration:  # noqa: PLR0912 - one branch per written form
    if (t := _TRANSCRIPT.match(s)) is not None:
        gene = _transcript_gene(t.group(1))
        if gene is None:
            msg = (f"transcript {t.group(1)!r} is not one herscape knows (data/exons.tsv); "
                   "write GENE CHANGE, e.g. 'KRAS p.Gly12Cys'")
            raise ValueError(msg)
        return _gene_part(gene, t.group(2), vocab)
    if (ras := _ras_wild_type(s)) is not None:
        return ras
    if (her2 := _her2(s, vocab)) is not None:
        return her2
    if s.lower() in {"del19", "19del", "ex19del", "exon19del"}:
        return _gene_part("EGFR", "exon 19 deletion", vocab)
    if "::" in s or re.search(r"(?:-intragenic|\bfusion|\bvIII)$", s, re.I) or s.lower().startswith("egfrviii"):
        return ParsedAlteration((parse_sv_text(s),))
    if _DELTA16.match(s.replace(" delta", "delta").replace("delta", "delta")):
        return ParsedAlteration((Splice("ERBB2", 16),))
    words = s.split()
    marker = _try_marker(words, vocab)
    if marker is not None:
        return ParsedAlteration((marker,))
    if len(words) == 1 and (g := _GLUED.match(words[0])) is not None and normalize_gene(g.group(1)):
        words = [g.group(1), g.group(2)]  # METex14, EGFRvIII, EGFRex19del
    if "/" in words[0] and normalize_gene(words[0]) is None:  # KRAS/NRAS wild-type
        genes = [normalize_gene(w) for w in words[0].split("/")]
        if all(genes) and len(words) > 1:
            parts = [_gene_part(g, " ".join(words[1:]), vocab) for g in genes if g]
            return ParsedAlteration(tuple(f for p in parts for f in p.features),
                                    tuple(a for p in parts for a in p.assessed))
    symbol, unlisted = _resolve(words[0])
    if symbol is None and ":" in words[0]:  # KRAS:G12D
        head, _, tail = words[0].partition(":")
        (symbol, unlisted), words = _resolve(head), [head, tail, *words[1:]]
    if symbol is None:
        raise ValueError(_unknown_gene(words[0]))
    if len(words) == 1:
        msg = f"{s!r} names a gene but no alteration (e.g. '{symbol} G12D', '{symbol} amplification')"
        raise ValueError(msg)
    parsed = _gene_part(symbol, " ".join(words[1:]), vocab)
    return ParsedAlteration(parsed.features, parsed.assessed, (symbol,) if unlisted else ())


def _unknown_gene(text: str) -> str:
    close = closest_genes(text)
    hint = f" (closest: {', '.join(close)})" if close else ""
    return f"{text!r} is not a known gene symbol or marker{hint}; see docs/profiles.md"
