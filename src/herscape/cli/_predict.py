"""``herscape predict``: verdict, mechanisms and ranked strategies for a profile and a therapy."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from herscape.cli import app, err_console, out_console
from herscape.cli._annotate import no_molecular_data
from herscape.cli._files import temp_beside
from herscape.cli._kb import write_atomically
from herscape.errors import UsageError
from herscape.predict import SCREENS, predict
from herscape.predict._batch import predict_batch
from herscape.profile import load_oncotree
from herscape.profile._read import read_profiles


class _Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    pdf = "pdf"


def _write_bytes(data: bytes, out: Path) -> None:
    import os

    fd, tmp = temp_beside(out)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _batch(batch: Path, fmt: _Format, out: Path | None, screen: str) -> None:
    """Write one JSON line per query as it is answered: memory stays flat however many rows.
    With ``--out`` the lines go to a temporary file renamed at the end (nothing half-written)."""
    if fmt not in (_Format.jsonl, _Format.json):
        raise UsageError("--batch writes --format jsonl (one JSON object per line)", field="--format",
                         value=str(fmt))
    bad = []
    with _line_sink(out) as write:
        for obj, ok in predict_batch(batch, screen=screen):
            write(json.dumps(obj, ensure_ascii=False) + "\n")
            if not ok:
                bad.append(f"line {obj['error']['line']} (id {obj['id']}): {obj['error']['message']}")
    if bad:
        for b in bad:
            err_console.print(f"[red]error:[/] {batch}: {b}", highlight=False)
        raise typer.Exit(2)


def _sample_alias(sample: str | None, sample_id: str | None) -> str | None:
    """``--sample`` is the deprecated name of ``--sample-id``."""
    if sample is None:
        return sample_id
    if sample_id is not None and sample_id != sample:
        raise UsageError("--sample is the old name of --sample-id; give one", field="--sample-id")
    err_console.print("[yellow]warning:[/] --sample is deprecated; use --sample-id", highlight=False)
    return sample


def chosen_profiles(profiles, sample_id: str | None) -> list:
    """The profiles read, or the one ``--sample-id`` names.

    Raises
    ------
    UsageError
        When that sample is not in the input, or nothing was given at all.
    """
    profiles = list(profiles)
    if sample_id is not None:
        profiles = [p for p in profiles if p.sample_id == sample_id]
        if not profiles:
            raise UsageError(f"no sample {sample_id!r} in the input", field="--sample-id", value=sample_id)
    if not profiles:
        raise UsageError("no profile given: name a file or use --alteration/--marker", field="inputs")
    return profiles


def _print_notes(notes: tuple[str, ...], profiles: list, *, from_files: bool) -> None:
    """Informational notes on stderr (they never stop a prediction)."""
    for note in [*notes, *(n for p in profiles for n in p.notes)][:20]:
        err_console.print(f"[dim]note:[/] {note}", highlight=False)
    for p in profiles:
        # a query stated on the command line keeps molecular_data (its required tests decide), but
        # one that states nothing is still worth a warning
        if not p.molecular_data or (not from_files and not p.features and not p.assessed):
            err_console.print(f"[yellow]warning:[/] sample {p.sample_id!r}: "
                              f"{no_molecular_data(from_files)}", highlight=False)


@contextmanager
def _line_sink(out: Path | None) -> Iterator[Callable[[str], None]]:
    """A writer of lines to stdout (flushed each line) or to ``out`` via a temporary file that
    replaces ``out`` only when every line is written."""
    import os
    import sys

    if out is None:
        def echo(line: str) -> None:
            sys.stdout.write(line)
            sys.stdout.flush()

        yield echo
        return
    if out.parent and not out.parent.exists():
        raise UsageError(f"folder {str(out.parent)!r} does not exist", field="--out", value=str(out))
    fd, tmp = temp_beside(out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh.write
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@app.command("predict")
def predict_cmd(  # noqa: PLR0913 - the command's contract fixes these options
    inputs: Annotated[list[Path] | None, typer.Argument(help="profile files (MAF, VCF, CNA, JSON, ...) or cBioPortal study folders")] = None,
    tumor_type: Annotated[str | None, typer.Option("--tumor-type", "-t", help="OncoTree code or common name, e.g. COADREAD, mCRC")] = None,
    therapy: Annotated[str | None, typer.Option("--therapy", help="drugs joined by '+', any synonym")] = None,
    alteration: Annotated[list[str] | None, typer.Option("--alteration", "-a", help="e.g. 'KRAS G12D' (repeatable)")] = None,
    marker: Annotated[list[str] | None, typer.Option("--marker", "-m", help="NAME=VALUE, e.g. AREG=low, sidedness=left, line=2 (repeatable)")] = None,
    prior_therapy: Annotated[list[str] | None, typer.Option("--prior-therapy", help="REGIMEN[:progressed]")] = None,
    fmt: Annotated[_Format, typer.Option("--format", "-f", help="text, json, html, pdf (jsonl with --batch)")] = _Format.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="file to write (default stdout; needed for pdf); untouched on error")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="queries TSV: id, tumor_type, therapy, alterations, markers[, assay, tested]")] = None,
    sample_id: Annotated[str | None, typer.Option("--sample-id", help="the sample to use from a multi-sample input (and that --alteration/--marker belong to)")] = None,
    sample: Annotated[str | None, typer.Option("--sample", hidden=True, help="deprecated: use --sample-id")] = None,
    assay: Annotated[str | None, typer.Option("--assay", help="what was sequenced: exome, genome, or a cBioPortal gene-panel file")] = None,
    tested: Annotated[list[str] | None, typer.Option("--tested", help="genes sequenced for mutations, GENE,GENE (repeatable)")] = None,
    oncotree_file: Annotated[Path | None, typer.Option("--oncotree", help="OncoTree to use (API JSON or TSV; default: the shipped release)")] = None,
    screen: Annotated[str, typer.Option("--screen", help=f"strategy screen: {', '.join(SCREENS)}")] = "default",
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="predict despite inputs that are not understood")] = False,
    evolve: Annotated[bool, typer.Option("--evolve", help="add the dynamics under therapy to the HTML report (herscape evolve)")] = False,
    schedule: Annotated[str | None, typer.Option("--schedule", help="with --evolve: the schedule (default: THERAPY until progression)")] = None,
) -> None:
    """Will this tumour resist the therapy, why, and what to do instead."""
    sample_id = _sample_alias(sample, sample_id)
    if out is not None and not out.resolve().parent.is_dir():
        raise UsageError(f"--out: folder {str(out.resolve().parent)!r} does not exist",
                         field="--out", value=str(out))
    if (evolve or schedule) and fmt is not _Format.html:
        raise UsageError("--evolve adds the dynamics to the HTML report: use --format html",
                         field="--evolve")
    if batch is not None:
        _batch(batch, fmt, out, screen)
        return
    if not therapy:
        raise UsageError("--therapy is required (e.g. --therapy cetuximab)", field="--therapy")
    tree = load_oncotree(oncotree_file) if oncotree_file is not None else None
    statements = bool(alteration or marker or prior_therapy)
    result = read_profiles(list(inputs or []), tumor_type=tumor_type, alterations=alteration or [],
                           markers=marker or [], prior_therapies=prior_therapy or [],
                           sample_id=sample_id if statements else None, skip_bad=skip_bad,
                           tree=tree, assay=assay, tested=tested or ())
    profiles = chosen_profiles(result.profiles, sample_id)
    bad = [u for p in profiles for u in p.unrecognized]
    if bad and not skip_bad:
        listing = "; ".join(f"{u.input!r}: {u.reason}" for u in bad[:10])
        raise UsageError(f"{len(bad)} input(s) not understood (use --skip-bad to predict without "
                         f"them): {listing}",
                         field="marker" if bad[0].input in (marker or []) else "alteration",
                         value=bad[0].input)
    if len(profiles) > 1 and fmt in (_Format.html, _Format.pdf, _Format.text):
        ids = ", ".join(p.sample_id for p in profiles[:8])
        raise UsageError(f"the input has {len(profiles)} samples ({ids}); choose one with --sample-id "
                         "or use --format json", field="--sample-id")
    _print_notes(result.notes, profiles, from_files=bool(inputs))
    preds = []
    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        for profile in profiles:
            task = bar.add_task(f"screening strategies for {profile.sample_id}", total=None)
            preds.append(predict(profile, therapy, screen=screen,
                                 progress=lambda done, total, t=task: bar.update(t, completed=done, total=total)))
    section = ""
    if evolve or schedule:
        from herscape.evolve._report import evolve_html_section

        section = evolve_html_section(profiles[0], therapy, schedule=schedule)
    _emit([p.to_dict() for p in preds], fmt, out, section)


def _emit(dicts: list[dict], fmt: _Format, out: Path | None, extra_html: str = "") -> None:
    from herscape import report

    if fmt in (_Format.json, _Format.jsonl):
        if fmt is _Format.jsonl:
            text = "\n".join(json.dumps(d, ensure_ascii=False) for d in dicts) + "\n"
        else:
            text = json.dumps(dicts[0] if len(dicts) == 1 else dicts, indent=1, ensure_ascii=False) + "\n"
        write_atomically(text, out)
    elif fmt is _Format.html:
        page = report.render_html(dicts[0])
        if extra_html:  # the dynamics section (predict --evolve), before the page ends
            page = page.replace("</body>", extra_html + "</body>", 1)
        write_atomically(page, out)
    elif fmt is _Format.pdf:
        if out is None:
            raise UsageError("--format pdf needs --out FILE", field="--out")
        _write_bytes(report.render_pdf(dicts[0]), out)
    elif out is not None:
        import io

        from rich.console import Console

        buf = io.StringIO()  # rendered in full first: --out is untouched if rendering fails
        report.render_text(dicts[0], Console(file=buf, width=120, soft_wrap=True))
        write_atomically(buf.getvalue(), out)
    else:
        report.render_text(dicts[0], out_console)
