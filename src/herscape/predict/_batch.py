"""Batch predictions: a TSV of queries in, one JSON object per line out.

Columns (tab-separated, header row): ``id``, ``tumor_type``, ``therapy``, ``alterations``
(``;``-separated alteration strings, may be empty), ``markers`` (``;``-separated ``NAME=VALUE``,
may be empty), and optionally ``prior_therapies`` (``;``-separated ``REGIMEN[:outcome]``),
``assay`` (``exome``, ``genome`` or a gene-panel file) and ``tested`` (genes sequenced,
``,``- or ``;``-separated): see "What was tested" in ``docs/profiles.md``.
A row that cannot be answered gives an error object for that row; the others are answered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from herscape._config import DEFAULT_SEED
from herscape.errors import HerscapeError, ProfileParseError
from herscape.predict._predict import Engine, predict
from herscape.predict._types import SCHEMA_VERSION
from herscape.profile._read import profile_from_strings

__all__ = ["REQUIRED_COLUMNS", "predict_batch"]

REQUIRED_COLUMNS = ("id", "tumor_type", "therapy", "alterations", "markers")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _error(row_id: str, exc: Exception, line: int) -> dict[str, Any]:
    field = getattr(exc, "field", None)
    value = getattr(exc, "value", None)
    message = getattr(exc, "message", None) or str(exc)
    return {"schema_version": SCHEMA_VERSION, "id": row_id,
            "error": {"message": message, "field": field,
                      "value": value if isinstance(value, str | int | float) else None,
                      "line": line}}


def predict_batch(path: Path, *, engine: Engine | None = None, screen: str = "default",
                  seed: int = DEFAULT_SEED) -> Iterator[tuple[dict[str, Any], bool]]:
    """Answer each row of a queries TSV: yields (JSON object, ok?) per row, in file order.

    Raises
    ------
    ProfileParseError
        When the file cannot be read or lacks a required column (nothing is answered then).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileParseError(f"cannot read queries file: {exc}", source=str(path)) from exc
    lines = text.splitlines()
    if not lines:
        raise ProfileParseError("queries file is empty (a header row is needed)", source=str(path), line=1)
    reader = csv.DictReader(lines, delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        msg = f"queries file lacks column(s) {', '.join(missing)}; header must have {', '.join(REQUIRED_COLUMNS)}"
        raise ProfileParseError(msg, source=str(path), line=1, field=missing[0])
    engine = engine or Engine.default()
    seen: set[str] = set()
    for n, row in enumerate(reader, start=2):
        row_id = (row.get("id") or "").strip() or f"line{n}"
        try:
            if None in row or any(row.get(c) is None for c in REQUIRED_COLUMNS):
                msg = f"row has {len([v for v in row.values() if v is not None])} fields; expected {len(reader.fieldnames)}"
                raise ProfileParseError(msg, source=str(path), line=n)
            if row_id in seen:
                raise ProfileParseError(f"duplicate id {row_id!r}", source=str(path), line=n, field="id")
            seen.add(row_id)
            profile = profile_from_strings(
                _split(row["alterations"]), markers=_split(row["markers"]), sample_id=row_id,
                tumor_type=(row["tumor_type"] or "").strip() or None,
                prior_therapies=_split(row.get("prior_therapies")),
                assay=(row.get("assay") or "").strip() or None,
                tested=[g for v in _split(row.get("tested")) for g in v.split(",") if g.strip()],
            )
            pred = predict(profile, (row["therapy"] or "").strip(), engine=engine, screen=screen, seed=seed)
        except HerscapeError as exc:
            yield _error(row_id, exc, n), False
            continue
        yield {"id": row_id, **pred.to_dict()}, True
