"""Read profiles from files and strings: format detection, merging by sample.

>>> from herscape.profile import profile_from_strings
>>> p = profile_from_strings(["KRAS G12D", "HER2 amplified"], markers=["AREG=low"], tumor_type="COAD")
>>> [str(f) for f in p.features]
['KRAS G12D', 'ERBB2 amplification', 'AREG=low']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from herscape.errors import ProfileParseError, UsageError
from herscape.profile._alteration import parse_alteration, parse_marker
from herscape.profile._collect import ReadResult, Samples, paused_gc
from herscape.profile._features import (
    CopyNumber,
    Feature,
    Fusion,
    MarkerFeature,
    Methylation,
    PriorTherapy,
    Profile,
    Splice,
    make_mutation,
)
from herscape.profile._maf import MafRows, read_maf
from herscape.profile._oncotree import OncoTree, oncotree
from herscape.profile._study import read_study
from herscape.profile._tables import (
    read_cna_long,
    read_cna_matrix,
    read_fusion_list,
    read_markers_tsv,
    read_sv,
)
from herscape.profile._vcf import read_vcf
from herscape.profile._vocab import MarkerVocabulary, default_vocabulary

__all__ = ["FORMATS", "detect_format", "profile_from_strings", "read_profiles", "unrecognized_count"]

#: Input formats :func:`read_profiles` understands.
FORMATS = ("study", "json", "vcf", "maf", "cna_matrix", "cna_long", "sv", "fusions", "markers")


def _first_line(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for raw in fh:
            if raw.strip() and not raw.startswith("#"):
                return raw.rstrip("\r\n")
    return ""


def detect_format(path: Path) -> str:
    """The format of ``path`` (one of :data:`FORMATS`), from its name and header line.

    Raises
    ------
    ProfileParseError
        When the format cannot be told; the message lists the formats and their headers.
    """
    if path.is_dir():
        return "study"
    name = path.name.lower()
    if name.endswith((".vcf", ".vcf.gz", ".bcf")):
        return "vcf"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".maf", ".maf.txt")):
        return "maf"
    header = _first_line(path)
    cols = {c.strip().lower() for c in header.split("\t")}
    if cols & {"variant_classification", "hgvsp_short", "hgvsp"}:
        return "maf"
    if "hugo_symbol" in cols and "tumor_sample_barcode" in cols and "fusion" not in cols:
        return "maf"
    if "site1_hugo_symbol" in cols or ("fusion" in cols and "hugo_symbol" in cols):
        return "sv"
    if "hugo_symbol" in cols:
        return "cna_matrix"
    if cols & {"sample", "sample_id"} and cols & {"gene", "symbol", "hugo_symbol"}:
        return "cna_long"
    if cols & {"sample", "sample_id"} and cols & {"marker", "name", "value"}:
        return "markers"
    if "::" in header or cols & {"fusion", "gene1::gene2"}:
        return "fusions"
    msg = (
        "cannot tell the format from the name or header line: expected a MAF (Hugo_Symbol, "
        "Tumor_Sample_Barcode), VCF (.vcf/.vcf.gz), CNA matrix (Hugo_Symbol + sample columns), "
        "long CNA table (sample, gene, alteration), structural variants (Sample_Id, "
        "Site1_Hugo_Symbol), GENE1::GENE2 list, marker table (sample, marker, value), "
        "JSON (.json) or a cBioPortal study folder"
    )
    raise ProfileParseError(msg, source=str(path), line=1, value=header[:80])


# ---------------------------------------------------------------------------------------------
# JSON profiles


def _schema() -> dict[str, Any]:
    text = (resources.files("herscape.profile") / "data" / "profile.schema.json").read_text()
    return json.loads(text)


def _feature_from_dict(d: dict[str, Any], vocab: MarkerVocabulary) -> Feature:
    kind = d["kind"]
    if kind == "mutation":
        change = d.get("protein_change")
        if change is None and d.get("codon") is not None:
            return parse_alteration(f"{d['gene']} codon {d['codon']}", vocabulary=vocab).features[0]
        return make_mutation(d["gene"], change, exon=d.get("exon"),
                             consequence=d.get("consequence") if change is None else None,
                             allele_fraction=d.get("allele_fraction"),
                             origin=d.get("origin") or "somatic")
    if kind == "copy_number":
        return CopyNumber(d["gene"], d["status"], d.get("copies"))
    if kind == "fusion":
        return Fusion(d.get("gene5") or d.get("gene"), d.get("gene3"))
    if kind == "splice":
        return Splice(d["gene"], int(d["skipped_exon"]))
    if kind == "methylation":
        return Methylation(d["gene"])
    value = d.get("number") if d.get("number") is not None else d.get("value")
    feature = parse_marker(str(d["marker"]), str(value), vocabulary=vocab)
    if not isinstance(feature, MarkerFeature):  # pragma: no cover - parse_marker returns markers
        msg = f"not a marker: {d!r}"
        raise ValueError(msg)
    return feature


def _read_json(path: Path, samples: Samples, vocab: MarkerVocabulary, tree: OncoTree) -> None:  # noqa: PLR0912 - one branch per profile field
    import jsonschema

    src = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        msg = f"JSON does not parse: {exc.msg}"
        raise ProfileParseError(msg, source=src, line=exc.lineno, column=exc.colno) from exc
    validator = jsonschema.Draft202012Validator(_schema())
    err = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        msg = f"profile JSON does not match the schema at {where}: {err.message}"
        raise ProfileParseError(msg, source=src, field=where)
    items = data if isinstance(data, list) else data.get("samples", [data])
    for i, item in enumerate(items):
        base = f"samples/{i}" if not (isinstance(data, dict) and "samples" not in data) else ""
        sid = item["sample_id"]
        s = samples.sample(sid)
        if item.get("tumor_type"):
            code = str(item["tumor_type"]).upper()
            problem = tree.problem(code)
            if problem is not None:
                samples.bad(ProfileParseError(problem, source=src, field=f"{base}/tumor_type".lstrip("/"),
                                              value=item["tumor_type"]))
            else:
                s.tumor_type = code
        for text in item.get("alterations", []):
            _add_string(samples, sid, text, vocab, source=src)
        markers = item.get("markers", [])
        pairs = markers.items() if isinstance(markers, dict) else (m.split("=", 1) for m in markers)
        for name, value in pairs:
            _add_string(samples, sid, f"{name}={value}", vocab, source=src)
        for j, fd in enumerate(item.get("features", [])):
            try:
                samples.add(sid, _feature_from_dict(fd, vocab))
            except (KeyError, ValueError, TypeError) as exc:
                samples.bad(ProfileParseError(f"feature does not read back: {exc}", source=src,
                                              field=f"{base}/features/{j}".lstrip("/"), value=fd))
        for text in item.get("prior_therapies", []):
            try:
                s.therapies.append(PriorTherapy.parse(text))
            except ValueError as exc:
                samples.bad(ProfileParseError(str(exc), source=src, field="prior_therapies", value=text))
        for scope, targets in item.get("assessed", {}).items():
            for target in targets:
                samples.assess(sid, scope, target)


# ---------------------------------------------------------------------------------------------
# strings


def _add_string(samples: Samples, sample_id: str, text: str, vocab: MarkerVocabulary, *,
                source: str | None = None) -> None:
    try:
        parsed = parse_alteration(text, vocabulary=vocab)
    except ValueError as exc:
        samples.unrecognized(sample_id, text, str(exc), source=source)
        return
    for f in parsed.features:
        samples.add(sample_id, f)
    for scope, target in parsed.assessed:
        samples.assess(sample_id, scope, target)


def profile_from_strings(alterations: Iterable[str] = (), *, markers: Iterable[str] = (),
                         sample_id: str = "sample", tumor_type: str | None = None,
                         prior_therapies: Iterable[str] = (),
                         vocabulary: MarkerVocabulary | None = None,
                         tree: OncoTree | None = None) -> Profile:
    """A profile from alteration strings and ``NAME=VALUE`` markers.

    Strings that are not understood are kept in ``Profile.unrecognized`` with the reason.

    Raises
    ------
    UsageError
        For an unknown tumour type (naming the closest codes) or a malformed prior therapy.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    tree = tree or oncotree()
    samples = Samples()
    samples.sample(sample_id)
    for text in alterations:
        _add_string(samples, sample_id, text, vocab)
    for text in markers:
        if "=" not in text:
            samples.unrecognized(sample_id, text, "a marker is NAME=VALUE (see 'herscape kb markers')")
            continue
        _add_string(samples, sample_id, text, vocab)
    s = samples.sample(sample_id)
    for text in prior_therapies:
        try:
            s.therapies.append(PriorTherapy.parse(text))
        except ValueError as exc:
            raise UsageError(str(exc), field="prior_therapy", value=text) from exc
    if tumor_type is not None:
        s.tumor_type = tree.check(tumor_type)
    return samples.profiles()[0]


# ---------------------------------------------------------------------------------------------
# files


def _read_all(inputs: Sequence[Path | str], samples: Samples, vocab: MarkerVocabulary,
              tree: OncoTree, maf_rows: list[MafRows] | None) -> None:
    for item in inputs:
        path = Path(item)
        if not path.exists():
            msg = f"input {str(path)!r} does not exist"
            raise UsageError(msg, source=str(path))
        try:
            _read_one(path, samples, vocab, tree, maf_rows)
        except UnicodeDecodeError as exc:
            msg = f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"
            raise ProfileParseError(msg, source=str(path)) from exc


def _read_one(path: Path, samples: Samples, vocab: MarkerVocabulary,
              tree: OncoTree, maf_rows: list[MafRows] | None) -> None:
    """Read one input of any format into ``samples``."""
    fmt = detect_format(path)
    if fmt == "maf":
        rows = MafRows(path, 0)
        read_maf(path, samples, rows=rows)
        if maf_rows is not None:
            maf_rows.append(rows)
    elif fmt == "study":
        rows = MafRows(path, 0)
        read_study(path, samples, tree, maf_rows=rows)
        if maf_rows is not None and rows.rows:
            maf_rows.append(rows)
    elif fmt == "vcf":
        read_vcf(path, samples)
    elif fmt == "json":
        _read_json(path, samples, vocab, tree)
    elif fmt == "cna_matrix":
        read_cna_matrix(path, samples)
    elif fmt == "cna_long":
        read_cna_long(path, samples)
    elif fmt == "sv":
        read_sv(path, samples)
    elif fmt == "fusions":
        read_fusion_list(path, samples)
    else:
        read_markers_tsv(path, samples, vocab)


def read_profiles(inputs: Sequence[Path | str], *, tumor_type: str | None = None,  # noqa: PLR0913 - the CLI's options, passed through
                  alterations: Sequence[str] = (), markers: Sequence[str] = (),
                  prior_therapies: Sequence[str] = (), sample_id: str | None = None,
                  skip_bad: bool = False, vocabulary: MarkerVocabulary | None = None,
                  tree: OncoTree | None = None,
                  maf_rows: list[MafRows] | None = None) -> ReadResult:
    """Read every input, merge by sample id, and apply the command-line statements.

    Parameters
    ----------
    inputs
        Files and folders, each in any of :data:`FORMATS` (detected by :func:`detect_format`).
    tumor_type
        OncoTree code for samples whose files give none.
    alterations, markers, prior_therapies
        Statements for the one sample (``sample_id``, or the only sample the files hold).
    skip_bad
        Skip bad lines and report them in :attr:`ReadResult.skipped` instead of raising.
    maf_rows
        When given, each MAF read appends its per-row record here (for annotated TSV output).

    Raises
    ------
    ProfileParseError
        For a bad line (file, line, field), unless ``skip_bad``.
    UsageError
        For an unknown tumour type, a missing input, or strings with several samples.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    tree = tree or oncotree()
    code = tree.check(tumor_type) if tumor_type is not None else None
    samples = Samples(skip_bad=skip_bad)
    with paused_gc():
        _read_all(inputs, samples, vocab, tree, maf_rows)
    if alterations or markers or prior_therapies or not samples.sample_ids:
        ids = samples.sample_ids
        if sample_id is None and len(ids) > 1:
            msg = (f"--alteration/--marker/--prior-therapy apply to one sample, but the inputs "
                   f"hold {len(ids)} ({', '.join(ids[:5])}...); name one with --sample-id")
            raise UsageError(msg, field="sample_id")
        target = sample_id or (ids[0] if ids else "sample")
        one = profile_from_strings(alterations, markers=markers, sample_id=target,
                                   prior_therapies=prior_therapies, vocabulary=vocab, tree=tree)
        s = samples.sample(target)
        for f in one.features:
            s.features[f] = None
        s.assessed |= one.assessed
        s.unrecognized.extend(one.unrecognized)
        s.therapies.extend(one.prior_therapies)
    with paused_gc():
        profiles = samples.profiles(default_tumor_type=code)
    return ReadResult(tuple(profiles), tuple(samples.skipped))


def unrecognized_count(profiles: Iterable[Profile]) -> int:
    """Number of inputs not understood across ``profiles``."""
    return sum(len(p.unrecognized) for p in profiles)


