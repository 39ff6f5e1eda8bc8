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

    Identifiers and whole words only, most exact first:

    1. the whole query as one indexed term: record id, gene, alteration, drug (any synonym; then
       every record naming the drug), mechanism, trial, first author (``"EGFR S492R"``,
       ``"BEACON"``, ``"T-DM1"``);
    2. every word as a term (``"CD36 lapatinib"``);
    3. the query as a whole word or phrase anywhere in a record's text (``"MARIANNE"`` in a note),
       never inside a longer word (``"ras"`` does not find "trastuzumab");
    4. a record id starting with the query up to a separator (``"S002b-tdm1"`` finds
       ``S002b-tdm1-marianne``; ``"tras"`` finds nothing).

    An empty list means no record.
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
        rows = db.execute("SELECT kind, id, json FROM records ORDER BY rowid").fetchall()
    if not hits:
        hits = _whole_word_hits(rows, query)
    if not hits:
        low = query.strip().lower()
        hits = {(kind, rid) for kind, rid, _ in rows if _id_prefix(rid.lower(), low)}
    return [row for row in rows if (row[0], row[1]) in hits]


def _id_prefix(rid: str, query: str) -> bool:
    """``query`` is ``rid`` or its leading segments (the next character is not a letter or digit)."""
    return bool(query) and rid.startswith(query) and (len(rid) == len(query) or not rid[len(query)].isalnum())


def _whole_word_hits(rows: list[tuple[str, str, str]], query: str) -> set[tuple[str, str]]:
    """Records whose text holds the query as a whole word or phrase (white space flexible)."""
    words = [re.escape(w) for w in _SPLIT.split(query.strip()) if w]
    if not words:
        return set()
    pattern = re.compile(r"(?<![A-Za-z0-9])" + r"[\s,;]+".join(words) + r"(?![A-Za-z0-9])", re.IGNORECASE)
    return {(kind, rid) for kind, rid, blob in rows if pattern.search(blob)}
