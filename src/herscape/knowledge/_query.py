"""Find knowledge records by a free query: gene, alteration, drug (any synonym), mechanism,
source, trial or author."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from herscape.knowledge._kb import drug_key
from herscape.knowledge._store import open_store

__all__ = ["find_records"]

#: Names clinicians use for genes and forms that the knowledge writes otherwise.
_ALIASES = {
    "her2": "erbb2", "her1": "egfr", "her3": "erbb3", "her4": "erbb4", "c-met": "met",
    "igf-1r": "igf1r", "pd-l1": "cd274", "ras v12": "hras g12v", "h-ras": "hras",
    "her2δ16": "erbb2 delta16", "her2d16": "erbb2 delta16", "her2delta16": "erbb2 delta16",
    "δ16her2": "erbb2 delta16", "d16her2": "erbb2 delta16", "p95": "p95her2",
}
_SPLIT = re.compile(r"[\s,;]+")


def _terms_for(text: str) -> set[str]:
    low = text.strip().lower()
    out = {low, drug_key(low)}
    if low in _ALIASES:
        out.add(_ALIASES[low])
    words = low.split()
    if words and words[0] in _ALIASES:
        out.add(" ".join([_ALIASES[words[0]], *words[1:]]))
    return {t for t in out if t}


def _ids_for(db: sqlite3.Connection, terms: set[str]) -> set[tuple[str, str]]:
    marks = ",".join("?" * len(terms))
    return set(db.execute(f"SELECT kind, id FROM terms WHERE term IN ({marks})", tuple(terms)))


def find_records(query: str, *, root: Path | None = None) -> list[tuple[str, str, str]]:
    """Records matching ``query`` as ``(kind, id, json)``, in store order.

    The whole query is tried first as one term (``"EGFR S492R"``, ``"BEACON"``, ``"T-DM1"``);
    failing that, every word must match (``"CD36 lapatinib"``); failing that, a case-insensitive
    substring search over the record text.
    """
    with closing(open_store(root)) as db:
        hits = _ids_for(db, _terms_for(query))
        drug_ids = {rid for kind, rid in hits if kind == "drugs"}
        if drug_ids:  # a drug's synonym: every record that names the drug by any name
            hits |= _ids_for(db, {drug_key(d) for d in drug_ids})
        if not hits:
            words = [w for w in _SPLIT.split(query) if w]
            sets = [_ids_for(db, _terms_for(w)) for w in words]
            hits = set.intersection(*sets) if sets and all(sets) else set()
        if not hits:
            like = f"%{query.strip().lower()}%"
            hits = set(db.execute("SELECT kind, id FROM records WHERE lower(json) LIKE ?", (like,)))
        if not hits:
            return []
        rows = db.execute("SELECT kind, id, json FROM records ORDER BY rowid").fetchall()
    return [row for row in rows if (row[0], row[1]) in hits]
