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
from herscape.profile._assay import Assay
from herscape.profile._collect import ReadResult, Samples, paused_gc
from herscape.profile._detect import detect_format
from herscape.profile._features import (
    CopyNumber,
    Feature,
    Fusion,
    Intragenic,
    MarkerFeature,
    Methylation,
    PriorTherapy,
    Profile,
    Splice,
    make_mutation,
)
from herscape.profile._maf import MafRows, read_maf
from herscape.profile._oncotree import OncoTree, oncotree
from herscape.profile._study import _panels, _read_panel_matrix, read_study
from herscape.profile._tables import (
    read_atypical,
    read_clinical_samples,
    read_cna_long,
    read_cna_matrix,
    read_expression_matrix,
    read_fusion_list,
    read_fusions,
    read_markers_tsv,
    read_sv,
)
from herscape.profile._vcf import read_vcf
from herscape.profile._vocab import MarkerVocabulary, default_vocabulary

__all__ = ["FORMATS", "detect_format", "profile_from_strings", "read_profiles", "unrecognized_count"]

#: Input formats :func:`read_profiles` understands (see :mod:`herscape.profile._detect`).
FORMATS = ("study", "json", "vcf", "maf", "cna_matrix", "cna_long", "expression", "sv",
           "sv_oncokb", "fusions", "fusion_list", "atypical", "markers", "clinical",
           "panel_matrix")


# ---------------------------------------------------------------------------------------------
# JSON profiles


def _schema() -> dict[str, Any]:
    text = (resources.files("herscape.profile") / "data" / "profile.schema.json").read_text()
    return json.loads(text)


_FEATURE_TYPES: dict[str, tuple[type, ...]] = {
    "gene": (str,), "gene5": (str,), "gene3": (str,), "protein_change": (str,),
    "consequence": (str,), "origin": (str,), "status": (str,), "marker": (str,),
    "value": (str, int, float), "cdna": (str,), "event": (str,), "codon": (int,),
    "exon": (int,), "skipped_exon": (int,), "first_exon": (int,), "last_exon": (int,),
    "allele_fraction": (int, float), "copies": (int, float), "number": (int, float),
}


def _feature_from_dict(d: dict[str, Any], vocab: MarkerVocabulary) -> Feature:
    if not isinstance(d, dict):
        msg = f"a feature is an object; got {type(d).__name__}"
        raise TypeError(msg)
    for key, value in d.items():
        want = _FEATURE_TYPES.get(key)
        if value is not None and want is not None and (
                not isinstance(value, want) or isinstance(value, bool)):
            msg = f"feature field {key!r} must be {' or '.join(t.__name__ for t in want)}; got {value!r}"
            raise TypeError(msg)
    kind = d["kind"]
    if kind == "mutation":
        change = d.get("protein_change")
        if change is None and d.get("codon") is not None:
            return parse_alteration(f"{d['gene']} codon {d['codon']}", vocabulary=vocab).features[0]
        return make_mutation(d["gene"], change, exon=d.get("exon"),
                             consequence=d.get("consequence") if change is None else None,
                             allele_fraction=d.get("allele_fraction"),
                             origin=d.get("origin") or "somatic", cdna=d.get("cdna"))
    if kind == "copy_number":
        return CopyNumber(d["gene"], d["status"], d.get("copies"))
    if kind == "fusion":
        return Fusion(d.get("gene5") or d.get("gene"), d.get("gene3"))
    if kind == "intragenic":
        return Intragenic(d["gene"], d.get("event") or "deletion", d.get("first_exon"),
                          d.get("last_exon"))
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


#: Deepest JSON nesting read: a profile is 5 levels deep; this leaves room and stops runaway input.
MAX_JSON_DEPTH = 64


def _check_nesting(text: str, src: str) -> None:
    """Reject JSON nested deeper than :data:`MAX_JSON_DEPTH` before parsing it (the parser
    recurses), naming the line."""
    depth = 0
    in_string = escaped = False
    line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                msg = f"JSON is nested more than {MAX_JSON_DEPTH} levels deep; a profile is not"
                raise ProfileParseError(msg, source=src, line=line)
        elif ch in "]}":
            depth -= 1


def _reject_constant(name: str) -> float:
    msg = f"JSON holds {name}, which is not a number (JSON has no NaN or Infinity)"
    raise ValueError(msg)


def _check_strings(data: Any, src: str) -> None:
    """Every string must be valid Unicode text (no lone surrogates from ``\\ud800`` escapes):
    reports write them as UTF-8."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                msg = f"JSON string {item[:40]!r} is not valid Unicode (a lone surrogate escape)"
                raise ProfileParseError(msg, source=src, value=item[:40]) from exc


def _load_json(path: Path) -> Any:
    """The checked content of a JSON profile file: parsed, bounded, valid Unicode, valid
    against the schema."""
    import jsonschema

    src = str(path)
    text = path.read_text(encoding="utf-8-sig")
    _check_nesting(text, src)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = f"JSON does not parse: {exc.msg}"
        raise ProfileParseError(msg, source=src, line=exc.lineno, column=exc.colno) from exc
    except ValueError as exc:  # NaN, Infinity
        raise ProfileParseError(str(exc), source=src) from exc
    _check_strings(data, src)
    validator = jsonschema.Draft202012Validator(_schema())
    err = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        msg = f"profile JSON does not match the schema at {where}: {err.message}"
        raise ProfileParseError(msg, source=src, field=where)
    return data


def _read_json(path: Path, samples: Samples, vocab: MarkerVocabulary, tree: OncoTree) -> None:  # noqa: PLR0912 - one branch per profile field
    src = str(path)
    data = _load_json(path)
    one = isinstance(data, dict) and "sample_id" in data  # a profile (whatever else it holds)
    items = [data] if one else data if isinstance(data, list) else data.get("samples")
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("sample_id"), str) and i["sample_id"]
            for i in items):
        msg = "'samples' must be a list of profile objects, each with a sample_id"
        raise ProfileParseError(msg, source=src, field="samples")
    for i, item in enumerate(items):
        base = "" if one else f"samples/{i}"
        sid = item["sample_id"]
        s = samples.sample(sid)
        if item.get("tumor_type"):
            found = tree.resolve(str(item["tumor_type"]))
            if found is None:
                samples.bad(ProfileParseError(tree.problem(str(item["tumor_type"])) or "", source=src,
                                              field=f"{base}/tumor_type".lstrip("/"),
                                              value=item["tumor_type"]))
            else:
                s.tumor_type = found[0]
                if found[1] is not None:
                    samples.note(found[1], sid)
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
                samples.molecular(sid)
                samples.assess(sid, scope, target)
        try:
            _apply_item_assays(samples, sid, item.get("assay"), item.get("tested", ()))
        except (UsageError, ProfileParseError) as exc:
            samples.bad(ProfileParseError(exc.message, source=src, field=f"{base}/assay".lstrip("/"),
                                          value=exc.value))
        if item.get("molecular_data") is False and not (s.features or s.assessed):
            s.molecular = False


# ---------------------------------------------------------------------------------------------
# strings


def _valid_text(text: str) -> bool:
    """Whether ``text`` is Unicode that can be written as UTF-8 (no lone surrogates, which a
    non-UTF-8 command line or a ``\\ud800`` escape produce)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _add_string(samples: Samples, sample_id: str, text: str, vocab: MarkerVocabulary, *,
                source: str | None = None) -> None:
    if not _valid_text(text):
        samples.unrecognized(sample_id, text.encode("utf-8", "replace").decode(),
                             "not valid text (bytes that are not UTF-8)", source=source)
        return
    try:
        parsed = parse_alteration(text, vocabulary=vocab)
    except ValueError as exc:
        samples.unrecognized(sample_id, text, str(exc), source=source)
        return
    s = samples.molecular(sample_id)
    for f in parsed.features:
        s.features[f] = None
    for scope, target in parsed.assessed:
        s.assessed.add((scope, target))
    for symbol in parsed.unlisted:
        s.unlisted_genes[symbol] = None


def _feature_target(f) -> tuple[str, str] | None:
    """The (scope, target) a mutation or copy-number feature lies in, for a contradiction check."""
    kind = getattr(f, "kind", None)
    if kind == "copy_number":
        return "copy_number", f.gene
    if kind == "mutation":
        codon = getattr(getattr(f, "change", None), "position", None)
        return "mutation", f"{f.gene} codon {codon}" if isinstance(codon, int) else f.gene
    return None


def _check_not_contradicted(texts: list[str], vocab: MarkerVocabulary) -> list[str]:
    """A wild-type statement and a change it excludes, both stated (``RAS wild-type`` with
    ``KRAS G12D``, ``HER2 not amplified`` with ``HER2 amplified``), is ambiguous input: which
    one is the result decides the verdict, so it is an error naming both, never a silent pick.

    A change stated with its allele fraction (``KRAS G12D VAF 2%``) is a measured subclone, which
    a less sensitive wild-type test can miss: it is kept, and the returned note says so."""
    notes: list[str] = []
    parsed = []
    for text in texts:
        try:
            parsed.append((text, parse_alteration(text, vocabulary=vocab)))
        except ValueError:
            continue  # reported as not understood by _add_string
    statements = [(text, p.assessed) for text, p in parsed if p.assessed and not p.features]
    for wt_text, pairs in statements:
        probe = Profile("probe", None, (), assessed=frozenset(pairs))
        for text, p in parsed:
            for f in p.features:
                where = _feature_target(f)
                if where is None or not probe.is_assessed(*where):
                    continue
                if getattr(f, "allele_fraction", None) is not None:
                    notes.append(f"{wt_text!r} and {text!r} both stated: read as a subclone below "
                                 "the detection limit of the wild-type test; the change is kept")
                    continue
                msg = (f"{wt_text!r} states {f.gene} was tested and found unchanged there, "
                       f"but {text!r} states a change in it: give the one the report says, or "
                       "the change's allele fraction ('... VAF 2%') if it is a subclone")
                raise UsageError(msg, field="alteration", value=text)
    return notes


def profile_from_strings(alterations: Iterable[str] = (), *, markers: Iterable[str] = (),  # noqa: PLR0913 - the statements a user gives, plus what was tested
                         sample_id: str = "sample", tumor_type: str | None = None,
                         prior_therapies: Iterable[str] = (),
                         vocabulary: MarkerVocabulary | None = None,
                         tree: OncoTree | None = None, assay: str | Assay | None = None,
                         tested: Sequence[str] = ()) -> Profile:
    """A profile from alteration strings and ``NAME=VALUE`` markers.

    Strings that are not understood are kept in ``Profile.unrecognized`` with the reason.
    ``assay`` (``exome``, ``genome`` or a gene-panel file) and ``tested`` (genes, each item
    may be comma-separated) say what was sequenced besides what the strings state.

    Raises
    ------
    UsageError
        For an unknown tumour type (naming the closest codes) or a malformed prior therapy.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    tree = tree or oncotree()
    if not sample_id or not _valid_text(sample_id):
        msg = "the sample id must be non-empty UTF-8 text"
        raise UsageError(msg, field="sample_id", value=sample_id.encode("utf-8", "replace").decode())
    samples = Samples()
    samples.sample(sample_id)
    alterations = list(alterations)
    subclone_notes = _check_not_contradicted(alterations, vocab)
    for text in alterations:
        _add_string(samples, sample_id, text, vocab)
    for text in markers:
        if "=" not in text:
            samples.unrecognized(sample_id, text, "a marker is NAME=VALUE (see 'herscape kb markers')")
            continue
        _add_string(samples, sample_id, text, vocab)
    s = samples.sample(sample_id)
    s.notes.extend(subclone_notes)
    for text in prior_therapies:
        try:
            s.therapies.append(PriorTherapy.parse(text))
        except ValueError as exc:
            raise UsageError(str(exc), field="prior_therapy", value=text) from exc
    if tumor_type is not None:
        s.tumor_type = tree.check(tumor_type)
        note = (tree.resolve(tumor_type) or ("", None))[1]
        if note is not None:
            s.notes.append(note)
    # a query stated directly is not a sample named in a clinical file only (molecular_data False
    # means exactly that, and predict then decides nothing): what it leaves out was not tested,
    # which the required tests say
    s.molecular = True
    _apply_assays(samples, assay, tested)
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
            line = _bad_utf8_line(path) if path.is_file() else None
            msg = f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
            raise ProfileParseError(msg, source=str(path), line=line) from exc


def _bad_utf8_line(path: Path) -> int | None:
    """The first line of ``path`` that is not UTF-8 (1-based), for the error message."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return lineno
    return None


def _read_one(path: Path, samples: Samples, vocab: MarkerVocabulary,  # noqa: PLR0912 - one branch per format
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
        read_study(path, samples, tree, vocab, maf_rows=rows)
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
    elif fmt == "expression":
        read_expression_matrix(path, samples, vocab)
    elif fmt in {"sv", "sv_oncokb"}:
        read_sv(path, samples)
    elif fmt == "fusions":
        read_fusions(path, samples)
    elif fmt == "fusion_list":
        read_fusion_list(path, samples)
    elif fmt == "atypical":
        read_atypical(path, samples, vocab)
    elif fmt == "clinical":
        read_clinical_samples(path, samples, tree)
    elif fmt == "panel_matrix":
        _read_panel_matrix(path, samples, _panels(path.parent))
    else:
        read_markers_tsv(path, samples, vocab)


def read_profiles(inputs: Sequence[Path | str], *, tumor_type: str | None = None,  # noqa: PLR0913 - the CLI's options, passed through
                  alterations: Sequence[str] = (), markers: Sequence[str] = (),
                  prior_therapies: Sequence[str] = (), sample_id: str | None = None,
                  skip_bad: bool = False, vocabulary: MarkerVocabulary | None = None,
                  tree: OncoTree | None = None,
                  maf_rows: list[MafRows] | None = None,
                  assay: str | Assay | None = None,
                  tested: Sequence[str] = ()) -> ReadResult:
    """Read every input, merge by sample id, and apply the command-line statements.

    Parameters
    ----------
    inputs
        Files and folders, each in any of :data:`FORMATS` (detected by :func:`detect_format`).
    tumor_type
        OncoTree code (or a common name such as ``colorectal``) for samples whose files give none.
    alterations, markers, prior_therapies
        Statements for the one sample (``sample_id``, or the only sample the files hold).
    sample_id
        The sample the statements belong to; with no input files, the new sample's id
        (default ``sample``).
    skip_bad
        Skip bad lines and report them in :attr:`ReadResult.skipped` instead of raising.
    maf_rows
        When given, each MAF read appends its per-row record here (for annotated TSV output).
    assay
        ``exome`` or ``genome`` (every gene sequenced for mutations), a gene-panel file, or an
        :class:`~herscape.profile._assay.Assay`: applies to every sample read.
    tested
        Genes sequenced for mutations (``--tested``), for every sample read.

    Raises
    ------
    ProfileParseError
        For a bad line (file, line, field), unless ``skip_bad``; for input files that hold
        no sample at all (a header and no rows).
    UsageError
        For an unknown tumour type, a missing input, or strings with several samples.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    tree = tree or oncotree()
    code = tree.check(tumor_type) if tumor_type is not None else None
    samples = Samples(skip_bad=skip_bad)
    if tumor_type is not None and (note := (tree.resolve(tumor_type) or ("", None))[1]) is not None:
        samples.note(note)
    with paused_gc():
        _read_all(inputs, samples, vocab, tree, maf_rows)
    if inputs and not samples.sample_ids:
        names = ", ".join(str(i) for i in inputs[:3])
        msg = (f"the input holds no sample: {names} has a header but no data rows; "
               "an empty file is not a sample")
        raise ProfileParseError(msg, source=str(inputs[0]))
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
        s.molecular = s.molecular or one.molecular_data
    _apply_assays(samples, assay, tested)
    with paused_gc():
        profiles = samples.profiles(default_tumor_type=code)
    return ReadResult(tuple(profiles), tuple(samples.skipped), tuple(samples.notes))


def _apply_item_assays(samples: Samples, sid: str, assay: str | None, tested: Sequence[str]) -> None:
    if assay:
        for pair in Assay.parse(assay).scopes():
            samples.molecular(sid)
            samples.assess(sid, *pair)
    if tested:
        for pair in Assay.from_genes([g for t in tested for g in t.split(",")]).scopes():
            samples.molecular(sid)
            samples.assess(sid, *pair)


def _apply_assays(samples: Samples, assay: str | Assay | None, tested: Sequence[str]) -> None:
    assays = []
    if assay is not None:
        assays.append(Assay.parse(assay) if isinstance(assay, str) else assay)
    if tested:
        genes = [g for text in tested for g in text.split(",")]
        assays.append(Assay.from_genes(genes))
    for a in assays:
        for sid in samples.sample_ids:
            samples.molecular(sid)
            for pair in a.scopes():
                samples.assess(sid, *pair)


def unrecognized_count(profiles: Iterable[Profile]) -> int:
    """Number of inputs not understood across ``profiles``."""
    return sum(len(p.unrecognized) for p in profiles)


