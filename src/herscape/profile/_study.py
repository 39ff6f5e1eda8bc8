"""cBioPortal study folders: meta files name the data files; one profile per sample.

Read: ``meta_study.txt`` (ignored beyond presence), meta files of
``MUTATION_EXTENDED`` (a MAF), ``COPY_NUMBER_ALTERATION`` with ``DISCRETE`` data (a CNA
matrix), ``STRUCTURAL_VARIANT`` or ``FUSION`` (structural variants), ``CLINICAL`` with
``SAMPLE_ATTRIBUTES`` (``ONCOTREE_CODE`` per ``SAMPLE_ID``). Without meta files the usual names
are used: ``data_mutations*.txt``, ``data_CNA.txt``, ``data_sv.txt``, ``data_clinical_sample.txt``.
When the study has mutation data, every sample of the clinical file counts as sequenced.
"""

from __future__ import annotations

from pathlib import Path

from herscape.errors import ProfileParseError
from herscape.profile._collect import Samples
from herscape.profile._maf import MafRows, read_maf
from herscape.profile._oncotree import OncoTree
from herscape.profile._tables import read_clinical_samples, read_cna_matrix, read_sv

__all__ = ["read_study"]

_DEFAULTS = {
    "mutations": ("data_mutations_extended.txt", "data_mutations.txt"),
    "cna": ("data_CNA.txt", "data_cna.txt"),
    "sv": ("data_sv.txt", "data_SV.txt", "data_fusions.txt"),
    "clinical": ("data_clinical_sample.txt",),
}


def _meta(path: Path) -> dict[str, str]:
    out = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            msg = "meta file lines must be 'key: value'"
            raise ProfileParseError(msg, source=str(path), line=lineno, value=line)
        out[key.strip()] = value.strip()
    return out


def _files(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
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
        if kind == "MUTATION_EXTENDED":
            found["mutations"] = target
        elif kind == "COPY_NUMBER_ALTERATION" and datatype == "DISCRETE":
            found["cna"] = target
        elif kind in {"STRUCTURAL_VARIANT", "FUSION"}:
            found["sv"] = target
        elif kind == "CLINICAL" and datatype == "SAMPLE_ATTRIBUTES":
            found["clinical"] = target
    for key, names in _DEFAULTS.items():
        if key not in found:
            for name in names:
                if (folder / name).is_file():
                    found[key] = folder / name
                    break
    return found


def read_study(folder: Path, samples: Samples, tree: OncoTree, *,
               maf_rows: MafRows | None = None) -> None:
    """Read a cBioPortal study folder into ``samples``.

    Raises
    ------
    ProfileParseError
        When the folder holds none of the data files, or a file is bad (file, line, field).
    """
    files = _files(folder)
    if not files:
        msg = ("folder is not a cBioPortal study: no meta_*.txt naming data files and none of "
               "data_mutations.txt, data_CNA.txt, data_sv.txt, data_clinical_sample.txt")
        raise ProfileParseError(msg, source=str(folder))
    if "clinical" in files:
        read_clinical_samples(files["clinical"], samples, tree)
    if "mutations" in files:
        read_maf(files["mutations"], samples, rows=maf_rows)
        for sid in samples.sample_ids:
            samples.assess(sid, "mutation", "*")
    if "cna" in files:
        read_cna_matrix(files["cna"], samples)
    if "sv" in files:
        read_sv(files["sv"], samples)
