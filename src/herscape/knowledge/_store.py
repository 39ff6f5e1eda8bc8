"""The compiled knowledge store: an embedded SQLite file rebuilt when the data files change.

The store holds every validated record as JSON plus a term index (genes, drugs, mechanisms,
sources, trials) for ``herscape kb show``. Its file name carries a hash of the data files, so a
changed record means a new store; the old one is simply ignored. Loading from the store skips
YAML parsing and validation, which makes a warm start fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from herscape._config import cache_dir
from herscape.knowledge._kb import KnowledgeBase, drug_key
from herscape.knowledge._load import RECORD_TYPES, data_dir, data_files, load_kb
from herscape.knowledge._pattern import Change, Class, Codon, Exon, Marker, atoms, parse_pattern
from herscape.knowledge._schema import Release

__all__ = ["STORE_FORMAT", "data_hash", "kb_from_store", "open_store", "store_path"]

#: Bumped when the store layout changes, so old stores are not read.
STORE_FORMAT = 3


def data_hash(root: Path | None = None) -> str:
    """SHA-256 over the knowledge files' names and bytes (first 16 hex digits)."""
    root = root or data_dir()
    digest = hashlib.sha256(f"format={STORE_FORMAT}".encode())
    for path in data_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def store_path(root: Path | None = None) -> Path:
    """Where the store for the current data files lives."""
    return cache_dir() / f"knowledge-{data_hash(root)}.sqlite"


def _terms(kb: KnowledgeBase, rec: Any) -> Iterator[str]:
    """Lower-case search terms under which a record is found by ``kb show``.

    Drug names are indexed by the drug's id, so any synonym finds every record of the drug.
    """
    yield rec.id.lower()
    for name in ("name", "trial", "citation", "mechanism", "tumor_type"):
        value = getattr(rec, name, None)
        if isinstance(value, str):
            yield value.lower()
            if name == "citation":
                yield value.split()[0].lower()  # first author
    for drug_field in ("therapy", "regimen", "fails"):
        value = getattr(rec, drug_field, None)
        if value:
            yield from (_drug_term(kb, p) for p in value.split("+"))
    for name in ("therapies", "components"):
        yield from (_drug_term(kb, v) for v in getattr(rec, name, None) or [])
    yield from _cited_terms(kb, rec)
    for name in ("synonyms", "targets", "genes", "model_nodes", "sources"):
        for value in getattr(rec, name, None) or []:
            yield value.lower()
            yield drug_key(value)
    yield from _pattern_terms(rec)


def _cited_terms(kb: KnowledgeBase, rec: Any) -> Iterator[str]:
    """The trial names and first authors of the sources a record cites."""
    for sid in getattr(rec, "sources", None) or []:
        src = kb.sources.get(sid)
        if src is not None:
            if src.trial:
                yield src.trial.lower()
            yield src.citation.split()[0].lower()


def _pattern_terms(rec: Any) -> Iterator[str]:
    """Genes, markers and atoms of a record's biomarker patterns."""
    patterns = [getattr(rec, "biomarker", None), *(getattr(rec, "biomarkers", None) or [])]
    for text in filter(None, patterns):
        for atom in atoms(parse_pattern(text)):
            if isinstance(atom, Marker):
                yield atom.name.lower()
                yield str(atom).lower()
            elif isinstance(atom, Change | Codon | Exon | Class):
                yield atom.gene.lower()
                yield str(atom).lower()


def _drug_term(kb: KnowledgeBase, name: str) -> str:
    drug = kb.find_drug(name)
    return drug_key(drug.id if drug is not None else name)


def _build(kb: KnowledgeBase, path: Path, digest: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        with closing(sqlite3.connect(tmp)) as db:
            db.executescript(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE records (kind TEXT, id TEXT, json TEXT, PRIMARY KEY (kind, id));
                CREATE TABLE terms (term TEXT, kind TEXT, id TEXT);
                CREATE INDEX terms_term ON terms (term);
                """
            )
            db.execute("INSERT INTO meta VALUES ('hash', ?)", (digest,))
            db.execute("INSERT INTO meta VALUES ('format', ?)", (str(STORE_FORMAT),))
            if kb.release is not None:
                db.execute("INSERT INTO meta VALUES ('release', ?)", (kb.release.model_dump_json(),))
            for kind in RECORD_TYPES:
                for rec in getattr(kb, kind).values():
                    db.execute("INSERT INTO records VALUES (?, ?, ?)",
                               (kind, rec.id, rec.model_dump_json(exclude_none=True)))
                    db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                                   [(t, kind, rec.id) for t in set(_terms(kb, rec))])
            db.commit()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def open_store(root: Path | None = None) -> sqlite3.Connection:
    """A read-only connection to the store, building it first if the data changed."""
    path = store_path(root)
    if not path.exists():
        _build(load_kb(root), path, data_hash(root))
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def kb_from_store(root: Path | None = None) -> KnowledgeBase:
    """The knowledge base, from the store when it is current (validated when it was built)."""
    path = store_path(root)
    if not path.exists():
        kb = load_kb(root)
        _build(kb, path, data_hash(root))
        return kb
    records: dict[str, dict[str, Any]] = {kind: {} for kind in RECORD_TYPES}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        for kind, rid, blob in db.execute("SELECT kind, id, json FROM records ORDER BY rowid"):
            records[kind][rid] = RECORD_TYPES[kind].model_validate(json.loads(blob))
        row = db.execute("SELECT value FROM meta WHERE key = 'release'").fetchone()
    release = Release.model_validate_json(row[0]) if row else None
    return KnowledgeBase.from_records(**records, release=release)
