"""``herscape evolve``: the tumour under a therapy schedule, one patient or a virtual cohort."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from herscape.cli import app, err_console
from herscape.cli._kb import write_atomically
from herscape.cli._predict import chosen_profiles
from herscape.errors import UsageError

__all__ = ["evolve_cmd"]


class _Format(StrEnum):
    text = "text"
    json = "json"
    tsv = "tsv"


def _allele_fractions(texts: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in texts:
        alt, sep, value = text.rpartition("=")
        try:
            vaf = float(value)
        except ValueError:
            vaf = -1.0
        if not sep or not alt.strip() or not 0.0 < vaf <= 1.0:
            msg = f"--allele-fraction takes 'ALTERATION=FRACTION' with 0 < FRACTION <= 1; got {text!r}"
            raise UsageError(msg, field="--allele-fraction", value=text)
        out[alt.strip()] = vaf
    return out


def _ctdna(lod: float | None, min_molecules: int | None, draw_ml: float | None):
    from dataclasses import replace

    from herscape.evolve._params import default_ctdna

    params = default_ctdna()
    if lod is not None:
        if not 0.0 <= lod < 1.0:
            raise UsageError(f"--ctdna-lod is a VAF in [0, 1); got {lod}", field="--ctdna-lod", value=lod)
        params = replace(params, detection_limit_vaf=lod)
    if min_molecules is not None:
        if min_molecules < 1:
            raise UsageError(f"--ctdna-min-molecules must be at least 1; got {min_molecules}",
                             field="--ctdna-min-molecules", value=min_molecules)
        params = replace(params, min_mutant_molecules=min_molecules)
    if draw_ml is not None:
        if not 0.0 < draw_ml <= params.plasma_ml:
            raise UsageError(f"--draw-ml must be in (0, {params.plasma_ml:g}]; got {draw_ml}",
                             field="--draw-ml", value=draw_ml)
        params = replace(params, draw_ml=draw_ml)
    return params


@app.command("evolve")
def evolve_cmd(  # noqa: PLR0913 - the command's contract fixes these options
    inputs: Annotated[list[Path] | None, typer.Argument(help="profile files (MAF, VCF, CNA, JSON, study folder)")] = None,
    tumor_type: Annotated[str | None, typer.Option("--tumor-type", "-t", help="OncoTree code or common name, e.g. COADREAD")] = None,
    alteration: Annotated[list[str] | None, typer.Option("--alteration", "-a", help="e.g. 'KRAS G12D' (repeatable)")] = None,
    marker: Annotated[list[str] | None, typer.Option("--marker", "-m", help="NAME=VALUE (repeatable)")] = None,
    allele_fraction: Annotated[list[str] | None, typer.Option("--allele-fraction", help="'KRAS G12D=0.05': a subclone's allele fraction (repeatable)")] = None,
    purity: Annotated[float | None, typer.Option("--purity", help="tumour cell fraction of the sequenced sample (allele fractions are divided by it)")] = None,
    schedule: Annotated[str | None, typer.Option("--schedule", help="e.g. 'cetuximab until progression; off 4 months; cetuximab', or a .yaml/.txt file")] = None,
    preset: Annotated[str | None, typer.Option("--preset", help="colorectal_anti_egfr, colorectal_her2, breast_her2 (default: from tumour type and drugs)")] = None,
    patients: Annotated[int, typer.Option("--patients", help="virtual patients (1: the preset's typical patient only)")] = 1,
    burden: Annotated[float | None, typer.Option("--burden", help="total tumour cells of the single patient")] = None,
    lesions: Annotated[int | None, typer.Option("--lesions", help="lesions of the single patient")] = None,
    months: Annotated[float, typer.Option("--months", help="follow-up (months)")] = 24.0,
    ctdna_lod: Annotated[float | None, typer.Option("--ctdna-lod", help="assay detection limit (VAF, default 0.001)")] = None,
    ctdna_min_molecules: Annotated[int | None, typer.Option("--ctdna-min-molecules", help="mutant fragments needed for a call (default 2)")] = None,
    draw_ml: Annotated[float | None, typer.Option("--draw-ml", help="plasma per blood draw, mL (default 8.25)")] = None,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 42,
    threads: Annotated[int, typer.Option("--threads", help="threads for cohorts (same result for any)")] = 1,
    fmt: Annotated[_Format, typer.Option("--format", "-f", help="text, json or tsv")] = _Format.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="file to write (default stdout); untouched on error")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="write the patient's plots to this .svg file")] = None,
    sample_id: Annotated[str | None, typer.Option("--sample-id", help="the sample to use from a multi-sample input")] = None,
    oncotree_file: Annotated[Path | None, typer.Option("--oncotree", help="OncoTree to use (API JSON or TSV; default: the shipped release)")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="simulate despite inputs that are not understood")] = False,
    sample: Annotated[str | None, typer.Option("--sample", hidden=True, help="deprecated: use --sample-id")] = None,
) -> None:
    """Clones, ctDNA and response over time under a schedule (Bozic 2013 hybrid branching process).

    One patient (the preset's typical patient, or --burden/--lesions) gives its time course
    (TSV: one row a week); --patients N > 1 adds a virtual cohort (TSV: one row per patient).
    """
    from herscape.cli._predict import _sample_alias
    from herscape.evolve import build_plan, run_to_dict, simulate_cohort, simulate_patient
    from herscape.evolve._output import cohort_tsv, to_text, to_tsv
    from herscape.evolve._plot import patient_svg
    from herscape.profile import load_oncotree, read_profiles

    if patients < 1:
        raise UsageError(f"--patients must be at least 1; got {patients}", field="--patients", value=patients)
    if not months > 0:
        raise UsageError(f"--months must be positive; got {months}", field="--months", value=months)
    if plot is not None and plot.suffix.lower() != ".svg":
        raise UsageError(f"--plot writes SVG: give a .svg file; got {str(plot)!r}", field="--plot",
                         value=str(plot))
    sample = _sample_alias(sample, sample_id)
    tree = load_oncotree(oncotree_file) if oncotree_file is not None else None
    fractions = _allele_fractions(allele_fraction or [])
    # a stated alteration with an --allele-fraction is a measured subclone: said so to the
    # reader, a wild-type statement beside it is not a contradiction (profile docs)
    alteration = [f"{a} VAF {fractions[a.strip()] * 100:g}%" if a.strip() in fractions else a
                  for a in alteration or []]
    result = read_profiles(list(inputs or []), tumor_type=tumor_type, alterations=alteration,
                           markers=marker or [], skip_bad=skip_bad, tree=tree)
    profiles = chosen_profiles(result.profiles, sample)
    if len(profiles) > 1:
        ids = ", ".join(p.sample_id for p in profiles[:8])
        raise UsageError(f"the input has {len(profiles)} samples ({ids}); choose one with --sample-id",
                         field="--sample-id")
    profile = profiles[0]
    bad = list(profile.unrecognized)
    if bad and not skip_bad:
        listing = "; ".join(f"{u.input!r}: {u.reason}" for u in bad[:10])
        raise UsageError(f"{len(bad)} input(s) not understood (use --skip-bad to simulate without "
                         f"them): {listing}", field="alteration",
                         value=bad[0].input)
    if fractions:
        from herscape.evolve import with_allele_fractions

        profile = with_allele_fractions(profile, fractions)
    ctdna = _ctdna(ctdna_lod, ctdna_min_molecules, draw_ml)
    plan = build_plan(profile, schedule=schedule, preset_id=preset, purity=purity, ctdna=ctdna)
    horizon = months * 30.44
    patient = simulate_patient(plan, seed=seed, burden=burden, lesions=lesions, horizon=horizon)
    cohort = None
    if patients > 1:
        with Progress(console=err_console, transient=True,
                      disable=not err_console.is_terminal) as bar:
            task = bar.add_task(f"{patients} virtual patients", total=patients)
            cohort = simulate_cohort(plan, patients=patients, seed=seed, threads=threads,
                                     horizon=horizon,
                                     progress=lambda done, total: bar.update(task, completed=done))
    doc = run_to_dict(plan, seed=seed, patient=patient, cohort=cohort)
    text = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n" if fmt is _Format.json
            else (cohort_tsv(cohort) if cohort is not None else to_tsv(doc))
            if fmt is _Format.tsv else to_text(doc))
    svg = patient_svg(doc) if plot is not None else None
    write_atomically(text, out)
    if svg is not None:
        write_atomically(svg, plot)
