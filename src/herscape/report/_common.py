"""What every renderer shares: input checking, number and citation formatting, colours.

The renderers read the prediction as its JSON form (``Prediction.to_dict()`` or a saved
``--format json`` file), so everything here works on plain dicts and lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from herscape.errors import ReportError

__all__ = [
    "STRATEGY_GROUPS",
    "UNMODELLED_DRIVER_NOTE",
    "VERDICT_COLOURS",
    "banner_colours",
    "before_deciding",
    "setting_text",
    "summary_rest",
    "hex_colour",
    "release_text",
    "ramp",
    "thresholds",
    "as_prediction",
    "citation_url",
    "effect_label",
    "path_text",
    "short_cite",
    "fmt_num",
    "fmt_numbers",
    "node_changes",
    "readout_rows",
    "references",
    "regimen_name",
    "status_note",
    "strategy_details",
    "strategy_groups",
]

#: Said when the model assumed growth from drivers outside it (``model.unmodelled_driver``).
UNMODELLED_DRIVER_NOTE = ("None of the profile's alterations drives growth in the model, so its "
                          "growth was taken to come from drivers outside the model, which "
                          "ERBB-directed drugs do not reach.")

#: Banner colour (background, foreground) of each verdict; also used by the PDF.
VERDICT_COLOURS: dict[str, tuple[str, str]] = {
    "resistant": ("#b3261e", "#ffffff"),
    "reduced_sensitivity": ("#8a5a00", "#ffffff"),
    "sensitive": ("#1b7f3b", "#ffffff"),
    "uncertain": ("#b26a00", "#ffffff"),
    # neutral: a verdict that rests on the model alone is never dressed as evidence
    "model": ("#e8eaed", "#202124"),
}


def banner_colours(pred: Mapping[str, Any]) -> tuple[str, str, str]:
    """(key, background, foreground) of the verdict banner: neutral grey for model inference."""
    key = "model" if pred.get("basis") == "model inference" else pred["verdict"]
    bg, fg = VERDICT_COLOURS.get(key, VERDICT_COLOURS["uncertain"])
    return key, bg, fg


def before_deciding(pred: Mapping[str, Any]) -> list[str]:
    """The missing tests, required first, as lines a report shows before anything else."""
    out = []
    for m in pred.get("missing_tests") or []:
        head = "Required" if m["need"] == "required" else "Recommended"
        out.append(f"{head}: {m['action']} — {m['test']}. {m['why']}")
    return out


def summary_rest(pred: Mapping[str, Any]) -> str:
    """The summary without the verdict line it starts with (shown just above it)."""
    line, summary = pred.get("verdict_line") or "", pred["summary"]
    if line and summary.startswith(line):
        rest = summary[len(line):]
        return rest.split("): ", 1)[1] if rest.startswith(" (confidence") and "): " in rest else rest
    return summary


def setting_text(pred: Mapping[str, Any]) -> str:
    """The treatment setting in words ("not stated" where the profile says nothing)."""
    st = pred.get("setting") or {}
    line = st.get("line")
    bits = [f"line: {line if line else 'not stated'}"]
    if st.get("rechallenge") is not None:
        bits.append("rechallenge" if st["rechallenge"] else "not a rechallenge")
    if st.get("sidedness"):
        bits.append(f"primary side: {st['sidedness']}")
    if st.get("hormone_receptor"):
        bits.append(f"hormone receptor: {st['hormone_receptor']}")
    return " · ".join(bits)

#: Readouts in display order with their labels.
READOUTS: tuple[tuple[str, str], ...] = (
    ("proliferation", "Proliferation"),
    ("apoptosis", "Apoptosis"),
    ("immune_killing", "Immune killing"),
    ("growth", "Growth index"),
)

#: Number keys of evidence and strategy records with their labels (the rest print as key=value).
_NUMBER_LABELS: dict[str, str] = {"n": "n", "orr": "ORR", "pfs": "PFS", "os": "OS", "hr": "HR", "p": "P"}


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = (
        resources.files("herscape.predict")
        .joinpath("schema", "prediction.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def as_prediction(pred: Any) -> dict[str, Any]:
    """The prediction as a JSON dict, checked against the shipped schema.

    Parameters
    ----------
    pred
        A dict in the form of ``prediction.schema.json``, or an object with ``to_dict()``
        (a :class:`herscape.predict.Prediction`).

    Raises
    ------
    ReportError
        When the dict does not validate (naming the first offending field).
    """
    import jsonschema

    data = pred.to_dict() if hasattr(pred, "to_dict") else pred
    if not isinstance(data, Mapping):
        msg = f"a prediction must be a dict or have to_dict(); got {type(pred).__name__!r}"
        raise ReportError(msg, field="pred", value=type(pred).__name__)
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        msg = f"the prediction does not match prediction.schema.json at {where}: {err.message}"
        raise ReportError(msg, field=where)
    return dict(data)


def release_text(pred: Mapping[str, Any]) -> str:
    """``'knowledge release 1.0.0 of 2026-12-02'`` for a report footer."""
    rel = pred.get("knowledge_release")
    return f"knowledge release {rel['version']} of {rel['date']}" if rel else "knowledge release not recorded"


def fmt_num(value: Any, digits: int = 2) -> str:
    """A number for display: integers plainly, floats to ``digits`` decimals, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "–"
        return f"{value:.{digits}f}"
    return str(value)


def fmt_numbers(record: Mapping[str, Any]) -> str:
    """The outcome numbers of an evidence or strategy record as one line.

    Uses the record's ``numbers_text`` (the knowledge base's own formatting) when present, and
    otherwise formats ``numbers`` as ``key value`` pairs in key order.
    """
    text = record.get("numbers_text") or ""
    if text:
        return str(text)
    numbers = record.get("numbers") or {}
    parts = []
    for key in sorted(numbers):
        label = _NUMBER_LABELS.get(key, key)
        value = numbers[key]
        parts.append(str(value) if key == "text" else f"{label} {fmt_num(value)}")
    return "; ".join(parts)


def citation_url(cite: Mapping[str, Any]) -> str | None:
    """A link for a citation: its ``url``, else one built from a ``doi:`` or ``pmid:`` id.

    Only ``https://`` and ``http://`` links are returned; anything else gives ``None``.
    """
    url = cite.get("url")
    if not url:
        cid = str(cite.get("id", ""))
        prefix, _, rest = cid.partition(":")
        if prefix.lower() == "doi" and rest:
            url = f"https://doi.org/{rest}"
        elif prefix.lower() == "pmid" and rest.isdigit():
            url = f"https://pubmed.ncbi.nlm.nih.gov/{rest}/"
    if url and str(url).startswith(("https://", "http://")):
        return str(url)
    return None


def references(pred: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every distinct citation of the strategies and evidence, in order of first mention."""
    seen: dict[str, dict[str, Any]] = {}
    # strategies come first in every report (right under the verdict), then the evidence
    records: Iterable[Mapping[str, Any]] = [*pred.get("strategies", []), *pred.get("evidence", [])]
    for rec in records:
        for cite in rec.get("sources", []):
            seen.setdefault(str(cite["id"]), dict(cite))
    return list(seen.values())


def regimen_name(regimen: Iterable[str]) -> str:
    """A regimen's drugs joined by ``+``."""
    return " + ".join(regimen)


def readout_rows(model: Mapping[str, Any]) -> list[tuple[str, list[float | None]]]:
    """Readout label -> [untreated, treated, reference untreated, reference treated]."""
    cols = ("untreated", "treated", "reference_untreated", "reference_treated")
    rows = []
    for key, label in READOUTS:
        values: list[float | None] = []
        for col in cols:
            block = model.get(col) or {}
            v = block.get(key)
            values.append(float(v) if isinstance(v, int | float) else None)
        rows.append((label, values))
    return rows


#: Colour ramp of node probability: OFF (0) light grey, half-on pale orange, ON (1) red-orange.
_RAMP: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (238, 238, 238)),
    (0.5, (253, 204, 138)),
    (1.0, (227, 74, 51)),
)


def ramp(p: float | None) -> tuple[int, int, int]:
    """RGB colour of a probability on the diagram's ramp (white for unknown)."""
    if p is None:
        return (255, 255, 255)
    p = min(1.0, max(0.0, float(p)))
    for (p0, c0), (p1, c1) in zip(_RAMP, _RAMP[1:], strict=False):
        if p <= p1:
            t = (p - p0) / (p1 - p0)
            return (
                round(c0[0] + t * (c1[0] - c0[0])),
                round(c0[1] + t * (c1[1] - c0[1])),
                round(c0[2] + t * (c1[2] - c0[2])),
            )
    return _RAMP[-1][1]


def hex_colour(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb`` for an RGB triple."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def thresholds() -> tuple[float, float]:
    """The model's (sensitive, resistant) sensitivity-index thresholds."""
    from herscape.network._curated import load_erbb_model

    th = load_erbb_model().curated.thresholds
    return (th.sensitive, th.resistant) if th else (0.7, 0.45)


def short_cite(cite: Mapping[str, Any]) -> str:
    """A short label for a citation: trial name, else first author and year, else the id."""
    if cite.get("trial"):
        year = f" {cite['year']}" if cite.get("year") else ""
        return f"{cite['trial']}{year}"
    text = str(cite.get("citation", ""))
    author = text.split(" et al")[0] if " et al" in text else ""
    if author and len(author) <= 30:
        year = f" {cite['year']}" if cite.get("year") else ""
        return f"{author.split()[0]}{year}"
    return str(cite["id"])


def effect_label(record: Mapping[str, Any]) -> str:
    """An evidence record's effect in words, prefixed ``not`` when the direction is against."""
    label = str(record.get("effect", "")).replace("_", " ")
    return f"not {label}" if record.get("direction") == "does_not_support" else label


def path_text(path: Iterable[str], arrow: str = " → ") -> str:
    """A network path as ``A → B → C``."""
    return arrow.join(path)


def node_changes(model: Mapping[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(node, untreated, treated) for every reported node, largest change under treatment first."""
    before = model.get("node_probabilities_untreated") or {}
    after = model.get("node_probabilities_treated") or {}
    rows = [(n, before.get(n), after.get(n)) for n in sorted(set(before) | set(after))]
    return sorted(rows, key=lambda r: (-abs((r[2] or 0.0) - (r[1] or 0.0)), r[0]))


#: The strategy groups in the order they are shown: (group, heading, what it holds).
STRATEGY_GROUPS = (
    ("standard", "Standard options",
     "Level-A/B evidence or an approval for this tumour type and biomarker state."),
    ("mechanism", "Mechanism-directed options",
     "Regimens that answer a resistance mechanism found in this tumour, through a node it acts "
     "on: the best answer to each mechanism first, then by evidence level, simulated response "
     "(SI) and simplicity."),
    ("exploratory", "Exploratory (model only)",
     "Candidates from the network model alone that beat the plan's index and reach the sensitive "
     "threshold: for research, never recommended."),
)


def strategy_groups(pred: Mapping[str, Any]) -> list[tuple[str, str, str, list[Mapping[str, Any]]]]:
    """The non-empty strategy groups of a prediction, in display order, each in rank order."""
    out = []
    for group, title, note in STRATEGY_GROUPS:
        items = [s for s in pred.get("strategies", []) if s.get("group", "exploratory") == group]
        if items:
            out.append((group, title, note, sorted(items, key=lambda s: s["rank"])))
    return out


def status_note(strategy: Mapping[str, Any]) -> str:
    """Drugs of a strategy that are not approved: ``investigational: X; discontinued: Y``."""
    by: dict[str, list[str]] = {}
    for d in strategy.get("drug_status") or []:
        if d["status"] not in ("approved", "class"):
            by.setdefault(d["status"].replace("_", " "), []).append(d["drug"])
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(by.items()))


def strategy_details(strategy: Mapping[str, Any]) -> list[str]:
    """Lines under a strategy's rationale (which names the mechanism and node it answers): the
    setting, the model's disagreement, drug status and every record behind the regimen."""
    s = strategy
    out = []
    if s.get("setting_fit") in ("other", "not stated") and s.get("setting_note"):
        out.append(f"setting ({s['setting_fit']}): {s['setting_note']}")
    for caution in s.get("cautions") or []:
        out.append(f"caution: {caution}")
    if s.get("model_disagrees"):
        out.append(f"model disagrees: {s['model_disagrees']}")
    status = status_note(s)
    if status:
        out.append(status)
    evidence = s.get("evidence") or []
    if len(evidence) > 1:  # one regimen, every record behind it
        out.append("all evidence: " + "; ".join(
            f"{e['record_id']} ({e['outcome']}, level {e['level']})" for e in evidence))
    return out

