"""``herscape demo``: predictions on the bundled example profiles, with their HTML reports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from herscape.cli import app, out_console
from herscape.predict import Engine, predict
from herscape.profile._read import profile_from_strings

_DEMO = Path(__file__).resolve().parents[1] / "predict" / "data" / "demo.tsv"
_COLOUR = {"sensitive": "green", "reduced_sensitivity": "dark_goldenrod", "resistant": "red",
           "uncertain": "yellow"}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", help="folder for the HTML reports")] = Path("out/demo"),
) -> None:
    """Predict the bundled example cases and write an HTML report for each."""
    from herscape.report import render_html

    out.mkdir(parents=True, exist_ok=True)
    engine = Engine.default()
    rows = list(csv.DictReader(_DEMO.open(encoding="utf-8"), delimiter="\t"))
    out_console.print(f"herscape demo: {len(rows)} example profiles; reports in {out}/\n")
    for row in rows:
        profile = profile_from_strings(
            _split(row["alterations"]), markers=_split(row["markers"]), sample_id=row["id"],
            tumor_type=row["tumor_type"], prior_therapies=_split(row["prior_therapies"]))
        pred = predict(profile, row["therapy"], engine=engine)
        path = out / f"{row['id']}.html"
        path.write_text(render_html(pred.to_dict()), encoding="utf-8")
        # the answer to the mechanism first, else the standard option (docs/predict.md)
        top = next((s for g in ("mechanism", "standard") for s in pred.strategies
                    if s.group == g and s.recommended), None)
        best = f"; best option: {' + '.join(top.regimen)}" if top and pred.verdict != "sensitive" else ""
        colour = _COLOUR[pred.verdict]
        out_console.print(
            f"[bold]{row['description']}[/] on {row['therapy']}: "
            f"[{colour}]{pred.verdict}[/] ({pred.basis}, confidence {pred.confidence:.2f}){best}"
            f"\n    report: {path}", highlight=False)
