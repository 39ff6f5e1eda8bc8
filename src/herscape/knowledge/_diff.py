"""What changed between two knowledge folders: records added, removed and changed (by field).

The comparison reads the YAML records as written (not through the schema), so an older release
whose records no longer validate can still be compared with today's; only a folder that is not a
knowledge folder, a file that does not parse, or a record without an ``id`` is an error.

>>> from herscape.knowledge._diff import diff_folders
>>> diff = diff_folders(Path("old/data"), data_dir())    # doctest: +SKIP
>>> [(c.kind, c.id, c.fields) for c in diff.changed][:1]  # doctest: +SKIP
[('assertions', 'A000-kras-wt-cetuximab-folfiri-crystal', ('biomarker', 'numbers'))]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from herscape.errors import KnowledgeBaseError
from herscape.knowledge._load import RECORD_TYPES, RELEASE_FILE
from herscape.knowledge._yaml import read_mapping, read_records

__all__ = ["Change", "KbDiff", "diff_folders", "read_folder"]

#: Source fields whose lists merge when one publication is defined in several files.
_MERGED_LISTS = ("where", "read")


@dataclass(frozen=True, slots=True)
class Change:
    """One record present in both folders whose fields differ (``fields``: names, sorted)."""

    kind: str
    id: str
    fields: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class KbDiff:
    """Records added and removed as ``(kind, id)``, and changed records, in folder order."""

    old: Path
    new: Path
    old_release: dict[str, Any] | None
    new_release: dict[str, Any] | None
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    changed: tuple[Change, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {"added": n, "removed": n, "changed": n}}`` for kinds with any difference."""
        out: dict[str, dict[str, int]] = {}
        for label, rows in (("added", self.added), ("removed", self.removed),
                            ("changed", [(c.kind, c.id) for c in self.changed])):
            for kind, _ in rows:
                out.setdefault(kind, {"added": 0, "removed": 0, "changed": 0})[label] += 1
        return {k: out[k] for k in RECORD_TYPES if k in out}

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _merge(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    merged = dict(first)
    for key in _MERGED_LISTS:
        extra = [x for x in other.get(key, []) or [] if x not in (merged.get(key) or [])]
        if extra:
            merged[key] = [*(merged.get(key) or []), *extra]
    for key, value in other.items():
        merged.setdefault(key, value)
    return merged


def read_folder(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record of a knowledge folder as written: ``{kind: {id: fields}}``.

    Raises
    ------
    KnowledgeBaseError
        ``root`` is not a folder holding at least one record folder (``sources/``, ``drugs/``,
        ...), a file does not parse, or a record has no ``id`` (naming file and line).
    """
    if not root.is_dir() or not any((root / kind).is_dir() for kind in RECORD_TYPES):
        msg = (f"{str(root)!r} is not a knowledge folder (expected one or more of "
               f"{', '.join(k + '/' for k in RECORD_TYPES)})")
        raise KnowledgeBaseError(msg, source=str(root))
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in RECORD_TYPES:
        records: dict[str, dict[str, Any]] = {}
        for path in sorted((root / kind).glob("*.y*ml")):
            for item in read_records(path):
                rid = item.data.get("id")
                if not isinstance(rid, str) or not rid:
                    msg = "record has no 'id'"
                    raise KnowledgeBaseError(msg, source=str(path), line=item.line, field="id")
                records[rid] = _merge(records[rid], item.data) if rid in records else item.data
        out[kind] = records
    return out


def _release(root: Path) -> dict[str, Any] | None:
    path = root / RELEASE_FILE
    return read_mapping(path).data if path.is_file() else None


def diff_folders(old: Path, new: Path) -> KbDiff:
    """Compare two knowledge folders record by record (kind and id), field by field.

    Parameters
    ----------
    old, new
        Knowledge folders (each holding ``sources/``, ``drugs/``, ... and maybe ``release.yaml``).
    """
    before, after = read_folder(old), read_folder(new)
    added: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    changed: list[Change] = []
    for kind in RECORD_TYPES:
        a, b = before.get(kind, {}), after.get(kind, {})
        removed += [(kind, rid) for rid in a if rid not in b]
        added += [(kind, rid) for rid in b if rid not in a]
        for rid in b:
            if rid in a and a[rid] != b[rid]:
                keys = sorted(k for k in {*a[rid], *b[rid]} if a[rid].get(k) != b[rid].get(k))
                changed.append(Change(kind, rid, tuple(keys),
                                      {k: a[rid].get(k) for k in keys}, {k: b[rid].get(k) for k in keys}))
    return KbDiff(old, new, _release(old), _release(new), tuple(added), tuple(removed), tuple(changed))
