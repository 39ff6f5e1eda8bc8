"""cBioPortal study folders: the meta files decide what each data file is.

Read (by ``genetic_alteration_type`` / ``datatype`` of each ``meta_*.txt``):

* ``MUTATION_EXTENDED`` / ``MAF``: mutations.
* ``COPY_NUMBER_ALTERATION`` / ``DISCRETE`` (gene x sample matrix) or ``DISCRETE_LONG``
  (one row per sample and gene): copy number.
* ``STRUCTURAL_VARIANT`` or ``FUSION``: structural variants and fusions.
* ``CLINICAL`` / ``SAMPLE_ATTRIBUTES``: ``ONCOTREE_CODE`` per ``SAMPLE_ID``.
* ``MRNA_EXPRESSION`` / ``Z-SCORE``: expression z-scores (see
  :func:`~herscape.profile._tables.read_expression_matrix`).
* ``GENE_PANEL_MATRIX``: which gene panel profiled each sample, with the panel files
  (``stable_id:``, ``gene_list:``) found in the folder.
* ``meta_study.txt`` ``type_of_cancer``: the tumour type of every sample that neither its
  clinical row (``ONCOTREE_CODE``) nor ``--tumor-type`` types, as cBioPortal itself defaults
  it. A study-specific code (``brca-es0``) is read through its ``data_cancer_type.txt`` row:
  the name, else the parent, as an OncoTree code or name, with a note; a code that does not
  resolve leaves the samples untyped, with a note.

Every other meta file (segments, log2 copy number, continuous expression, methylation,
GSVA, generic assays, treatment response, resources, cancer types) is listed in the notes
as not used. Without meta files the usual names are read: ``data_mutations*.txt``,
``data_CNA.txt``, ``data_sv.txt``, ``data_clinical_sample.txt``.

What was tested, as cBioPortal reads it: a sample with a panel in the gene-panel matrix's
``mutations`` column was sequenced for that panel's genes (``NA``: not sequenced); a sample
not in the matrix, in the ``*_sequenced`` case list, was sequenced for every gene (unless
the mutation meta file names a ``gene_panel``). Without a gene-panel matrix or a sequenced
case list a MAF assesses only the genes it has rows for, as any MAF does.
"""

from __future__ import annotations

from pathlib import Path

from herscape.errors import ProfileParseError
from herscape.profile._assay import Assay, read_gene_panel
from herscape.profile._collect import Samples
from herscape.profile._maf import MafRows, read_maf
from herscape.profile._oncotree import OncoTree
from herscape.profile._tables import (
    _header,
    _lines,
    read_clinical_samples,
    read_cna_long,
    read_cna_matrix,
    read_expression_matrix,
    read_sv,
)
from herscape.profile._vocab import MarkerVocabulary

__all__ = ["read_study"]

_DEFAULTS = {
    "mutations": ("data_mutations_extended.txt", "data_mutations.txt"),
    "cna": ("data_CNA.txt", "data_cna.txt"),
    "sv": ("data_sv.txt", "data_SV.txt", "data_fusions.txt"),
    "clinical": ("data_clinical_sample.txt",),
}
#: (genetic_alteration_type, datatype or "*") -> the role of the data file.
_ROLES = {
    ("MUTATION_EXTENDED", "*"): "mutations",
    ("COPY_NUMBER_ALTERATION", "DISCRETE"): "cna",
    ("COPY_NUMBER_ALTERATION", "DISCRETE_LONG"): "cna_long",
    ("STRUCTURAL_VARIANT", "*"): "sv",
    ("FUSION", "*"): "sv",
    ("CLINICAL", "SAMPLE_ATTRIBUTES"): "clinical",
    ("MRNA_EXPRESSION", "Z-SCORE"): "expression",
    ("GENE_PANEL_MATRIX", "*"): "panel_matrix",
}
#: Gene-panel matrix columns -> the scopes the panel assesses.
_PANEL_SCOPES = {
    "mutations": ("mutation",), "mutation": ("mutation",),
    "gistic": ("copy_number",), "cna": ("copy_number",),
    "structural_variants": ("fusion", "structural_variant"), "sv": ("fusion", "structural_variant"),
    "fusion": ("fusion", "structural_variant"),
}
_NA = frozenset({"", "NA", "na", "N/A", "nan"})


def _meta(path: Path) -> dict[str, str]:
    out = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            msg = "meta file lines must be 'key: value'"
            raise ProfileParseError(msg, source=str(path), line=lineno, value=line[:80])
        out[key.strip()] = value.strip()
    return out


def _files(folder: Path, samples: Samples) -> tuple[dict[str, Path], dict[str, dict[str, str]]]:
    found: dict[str, Path] = {}
    metas: dict[str, dict[str, str]] = {}
    for meta_path in sorted(folder.glob("meta_*.txt")):
        meta = _meta(meta_path)
        name = meta.get("data_filename")
        kind = meta.get("genetic_alteration_type", "")
        datatype = meta.get("datatype", "")
        if not name:
            continue
        target = folder / name
        if not target.is_file():
            msg = f"data file {name!r} named by the meta file does not exist"
            raise ProfileParseError(msg, source=str(meta_path), field="data_filename", value=name)
        role = _ROLES.get((kind, datatype)) or _ROLES.get((kind, "*"))
        if role is None:
            what = "/".join(x for x in (kind or meta.get("resource_type", ""), datatype) if x)
            samples.note(f"{folder.name}/{name} ({what or 'no type'}): not used by herscape")
            continue
        if role in found:
            msg = f"two data files have the role {role!r}: {found[role].name} and {name}"
            raise ProfileParseError(msg, source=str(meta_path), field="data_filename", value=name)
        found[role] = target
        metas[role] = meta
    for key, names in _DEFAULTS.items():
        if key not in found and not (key == "cna" and "cna_long" in found):
            for name in names:
                if (folder / name).is_file():
                    found[key] = folder / name
                    break
    return found, metas


def _panels(folder: Path) -> dict[str, Assay]:
    out = {}
    for path in sorted(folder.glob("*gene_panel*.txt")):
        head = path.read_text(encoding="utf-8-sig")[:4096]
        if "stable_id:" in head and "gene_list:" in head:
            panel = read_gene_panel(path)
            out[panel.name] = panel
    return out


def _case_list(folder: Path, suffix: str) -> set[str] | None:
    """Sample ids of the case list whose ``stable_id`` ends in ``suffix``, or ``None``."""
    lists = folder / "case_lists"
    if not lists.is_dir():
        return None
    for path in sorted(lists.glob("*.txt")):
        meta = _meta(path)
        if meta.get("stable_id", "").endswith(suffix):
            return {s.strip() for s in meta.get("case_list_ids", "").split("\t") if s.strip()}
    return None


def _read_panel_matrix(path: Path, samples: Samples, panels: dict[str, Assay]) -> set[str]:
    """Assess each sample's panel genes per profile column; return the samples it lists."""
    it = _lines(path)
    hline, header = _header(it, path, "gene-panel matrix")
    lower = [h.strip().lower() for h in header]
    if "sample_id" not in lower:
        msg = "gene-panel matrix header lacks SAMPLE_ID"
        raise ProfileParseError(msg, source=str(path), line=hline, field="SAMPLE_ID")
    i_s = lower.index("sample_id")
    listed = set()
    for lineno, cells in it:
        if len(cells) != len(header):
            samples.bad(ProfileParseError(f"row has {len(cells)} fields; the header has {len(header)}",
                                          source=str(path), line=lineno))
            continue
        sample = cells[i_s].strip()
        listed.add(sample)
        for i, column in enumerate(lower):
            scopes = _PANEL_SCOPES.get(column)
            value = cells[i].strip()
            if i == i_s or scopes is None or value in _NA:
                continue
            panel = panels.get(value)
            if panel is None:
                msg = f"gene panel {value!r} has no panel file (data_gene_panel_*.txt) in the study"
                samples.bad(ProfileParseError(msg, source=str(path), line=lineno, field=header[i],
                                              value=value))
                continue
            samples.molecular(sample)
            for scope in scopes:
                for pair in panel.scopes(scope):
                    samples.assess(sample, *pair)
    return listed


def read_study(folder: Path, samples: Samples, tree: OncoTree, vocabulary: MarkerVocabulary, *,
               maf_rows: MafRows | None = None) -> None:
    """Read a cBioPortal study folder into ``samples``.

    Raises
    ------
    ProfileParseError
        When the folder holds none of the data files, or a file is bad (file, line, field).
    """
    files, metas = _files(folder, samples)
    if not (files.keys() - {"panel_matrix"}):
        msg = ("folder is not a cBioPortal study: no meta_*.txt naming data files and none of "
               "data_mutations.txt, data_CNA.txt, data_sv.txt, data_clinical_sample.txt")
        raise ProfileParseError(msg, source=str(folder))
    if "clinical" in files:
        read_clinical_samples(files["clinical"], samples, tree)
    study_type = _study_tumor_type(folder, samples, tree)
    if "mutations" in files:
        read_maf(files["mutations"], samples, rows=maf_rows)
    if "cna" in files:
        read_cna_matrix(files["cna"], samples)
    if "cna_long" in files:
        read_cna_long(files["cna_long"], samples)
    if "sv" in files:
        read_sv(files["sv"], samples)
    if "expression" in files:
        read_expression_matrix(files["expression"], samples, vocabulary)
    _assess_study(folder, files, metas, samples)
    if study_type is not None:
        for sid in samples.sample_ids:
            samples.sample(sid).study_tumor_type = study_type


def _cancer_type_row(folder: Path, code: str) -> list[str] | None:
    """The ``data_cancer_type.txt`` row (type_of_cancer, name, colour, parent) of ``code``."""
    path = folder / "data_cancer_type.txt"
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if cells and cells[0].lower() == code.lower():
            return cells
    return None


def _study_tumor_type(folder: Path, samples: Samples, tree: OncoTree) -> str | None:
    """The OncoTree code of the study's ``type_of_cancer`` (see the module doc), or ``None``."""
    path = folder / "meta_study.txt"
    if not path.is_file():
        return None
    code = _meta(path).get("type_of_cancer", "").strip()
    if not code:
        return None
    found = tree.resolve(code)
    if found is not None:
        samples.note(f"{folder.name}: samples without ONCOTREE_CODE take the study's cancer type "
                     f"{found[0]} (meta_study.txt type_of_cancer {code!r})")
        return found[0]
    row = _cancer_type_row(folder, code)
    if row is not None:
        for what, text in (("name", row[1] if len(row) > 1 else ""),
                           ("parent", row[3] if len(row) > 3 else "")):
            hit = tree.resolve(text) if text else None
            if hit is not None:
                samples.note(f"{folder.name}: study cancer type {code!r} is not an OncoTree code; "
                             f"read through its {what} {text!r} in data_cancer_type.txt as "
                             f"{hit[0]}; samples without ONCOTREE_CODE take it (give "
                             "--tumor-type for a more specific type)")
                return hit[0]
    samples.note(f"{folder.name}: study cancer type {code!r} (meta_study.txt type_of_cancer) is "
                 "not an OncoTree code and does not resolve; give --tumor-type")
    return None


def _assess_study(folder: Path, files: dict[str, Path], metas: dict[str, dict[str, str]],
                  samples: Samples) -> None:
    panels = _panels(folder)
    in_matrix: set[str] = set()
    if "panel_matrix" in files:
        in_matrix = _read_panel_matrix(files["panel_matrix"], samples, panels)
    sequenced = _case_list(folder, "_sequenced")
    if "mutations" not in files:
        return
    default_panel = metas.get("mutations", {}).get("gene_panel")
    if sequenced is None:
        samples.note(f"{folder.name}: no sequenced case list (case_lists/*_sequenced) and no "
                     "gene-panel matrix row: mutations are assessed only where found")
        return
    for sid in sorted(sequenced - in_matrix):
        samples.molecular(sid)
        if default_panel:
            panel = panels.get(default_panel)
            if panel is None:
                msg = f"gene panel {default_panel!r} has no panel file in the study"
                raise ProfileParseError(msg, source=str(files["mutations"]), field="gene_panel",
                                        value=default_panel)
            for pair in panel.scopes("mutation"):
                samples.assess(sid, *pair)
        else:
            samples.assess(sid, "mutation", "*")
