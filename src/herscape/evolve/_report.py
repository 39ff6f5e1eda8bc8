"""The dynamics section of the HTML report (``herscape predict --evolve``)."""

from __future__ import annotations

from html import escape

from herscape._config import DEFAULT_SEED
from herscape.evolve._output import run_to_dict
from herscape.evolve._plan import build_plan
from herscape.evolve._plot import patient_svg
from herscape.evolve._simulate import simulate_patient
from herscape.profile import Profile

__all__ = ["evolve_html_section"]


def evolve_html_section(profile: Profile, therapy: str, *, schedule: str | None = None,
                        seed: int = DEFAULT_SEED) -> str:
    """An HTML ``<section>``: the preset's typical patient under ``schedule`` (default
    ``THERAPY until progression``), its clones, response and the plots (inline SVG)."""
    sched = schedule or f"{therapy.replace('+', ' + ')} until progression"
    plan = build_plan(profile, schedule=sched)
    doc = run_to_dict(plan, seed=seed, patient=simulate_patient(plan, seed=seed))
    pat = doc["patient"]
    rows = "".join(
        f"<tr><td>{escape(c['name'])}</td><td>{escape(c['origin'])}</td><td>{c['targets']}</td>"
        f"<td>{escape(', '.join(f'{r}: {v}' for r, v in c['sensitivity_index'].items()))}</td>"
        f"<td>{escape(', '.join(f'{r}: {v}' for r, v in c['drug_effect'].items()))}</td></tr>"
        for c in doc["plan"]["clones"])
    pfs = f"{pat['pfs_months']} months" if pat["pfs_months"] is not None else "not reached"
    det = (f"{pat['ctdna_detection_months']} months" if pat["ctdna_detection_months"] is not None
           else "never")
    notes = "".join(f"<p>{escape(n)}</p>" for n in doc["plan"]["notes"])
    return (
        '<section id="evolve"><h2>Dynamics under therapy (model, not clinical evidence)</h2>'
        f"<p>Schedule <code>{escape(doc['plan']['schedule'])}</code>; preset "
        f"{escape(doc['plan']['preset']['title'])}; typical patient "
        f"{pat['burden_cells']:.3g} cells in {pat['lesions']} lesions; seed {seed}. Best response "
        f"{escape(pat['best_response'])}, progression-free {escape(pfs)}, resistance seen in "
        f"ctDNA {escape(det)}. See docs/evolve.md for the calibration and its limits.</p>{notes}"
        "<table><thead><tr><th>clone</th><th>origin</th><th>targets</th>"
        "<th>sensitivity index</th><th>drug effect</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<div class="evolve-plot">{patient_svg(doc)}</div></section>'
    )
