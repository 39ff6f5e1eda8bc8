"""Batch predictions: a TSV of queries in, one JSON object per line out.

Columns (tab-separated, header row): ``id``, ``tumor_type``, ``therapy``, ``alterations``
(``;``-separated alteration strings, may be empty), ``markers`` (``;``-separated ``NAME=VALUE``,
may be empty), and optionally ``prior_therapies`` (``;``-separated ``REGIMEN[:outcome]``),
``assay`` (``exome``, ``genome`` or a gene-panel file) and ``tested`` (genes sequenced,
``,``- or ``;``-separated): see "What was tested" in ``docs/profiles.md``.
A row that cannot be answered gives an error object for that row; the others are answered.
Rows are answered one at a time, as read, and identical rows (all but the id) are answered once.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from herscape._config import DEFAULT_SEED
from herscape.errors import HerscapeError, ProfileParseError
from herscape.predict._predict import Engine, predict
from herscape.predict._types import SCHEMA_VERSION
from herscape.profile._read import profile_from_strings

__all__ = ["ANSWER_CACHE", "REQUIRED_COLUMNS", "predict_batch"]

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


#: Distinct queries whose answers are kept to answer identical rows again without predicting
#: (bounded, so memory stays flat however long the file is).
ANSWER_CACHE = 1024


def _key(row: dict[str, str | None]) -> tuple:
    """What makes two rows the same query (everything but the id)."""
    return ((row.get("tumor_type") or "").strip(), (row.get("therapy") or "").strip(),
            tuple(_split(row.get("alterations"))), tuple(_split(row.get("markers"))),
            tuple(_split(row.get("prior_therapies"))), (row.get("assay") or "").strip(),
            tuple(_split(row.get("tested"))))


def _with_id(answer: dict[str, Any], row_id: str) -> dict[str, Any]:
    """A cached answer for another row: the same prediction under this row's id."""
    return {**answer, "id": row_id, "query": {**answer["query"], "sample_id": row_id}}


def predict_batch(path: Path, *, engine: Engine | None = None, screen: str = "default",
                  seed: int = DEFAULT_SEED) -> Iterator[tuple[dict[str, Any], bool]]:
    """Answer each row of a queries TSV: yields (JSON object, ok?) per row, in file order.

    Rows are read and answered one at a time (memory does not grow with the file); a row
    identical to one of the last :data:`ANSWER_CACHE` distinct queries (all but its id) reuses
    that answer.

    Raises
    ------
    ProfileParseError
        When the file cannot be read or lacks a required column (nothing is answered then).
    """
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ProfileParseError(f"cannot read queries file: {exc}", source=str(path)) from exc
    with fh:
        yield from _answer_rows(fh, path, engine or Engine.default(), screen, seed)


def _answer_rows(fh, path: Path, engine: Engine, screen: str, seed: int
                 ) -> Iterator[tuple[dict[str, Any], bool]]:
    reader = csv.DictReader(fh, delimiter="\t")
    try:
        fields = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise ProfileParseError(f"cannot read queries file: {exc}", source=str(path)) from exc
    if not fields:
        raise ProfileParseError("queries file is empty (a header row is needed)", source=str(path), line=1)
    missing = [c for c in REQUIRED_COLUMNS if c not in fields]
    if missing:
        msg = f"queries file lacks column(s) {', '.join(missing)}; header must have {', '.join(REQUIRED_COLUMNS)}"
        raise ProfileParseError(msg, source=str(path), line=1, field=missing[0])
    seen: set[str] = set()
    answers: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
    n = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise ProfileParseError(f"cannot read queries file: {exc}", source=str(path),
                                    line=n + 1) from exc
        n = reader.line_num
        row_id = (row.get("id") or "").strip() or f"line{n}"
        try:
            if None in row or any(row.get(c) is None for c in REQUIRED_COLUMNS):
                msg = f"row has {len([v for v in row.values() if v is not None])} fields; expected {len(fields)}"
                raise ProfileParseError(msg, source=str(path), line=n)
            if row_id in seen:
                raise ProfileParseError(f"duplicate id {row_id!r}", source=str(path), line=n, field="id")
            seen.add(row_id)
            key = _key(row)
            cached = answers.get(key)
            if cached is not None:
                answers.move_to_end(key)
                yield _with_id(cached, row_id), True
                continue
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
        answer = {"id": row_id, **pred.to_dict()}
        answers[key] = answer
        if len(answers) > ANSWER_CACHE:
            answers.popitem(last=False)
        yield answer, True
