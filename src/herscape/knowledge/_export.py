"""Export every knowledge record as JSON (validated by a shipped JSON Schema) or TSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from herscape.knowledge._format import format_numbers, format_where
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._load import RECORD_TYPES, SINGULAR

__all__ = ["EXPORT_SCHEMA_VERSION", "export_json", "export_schema", "export_tsv", "schema_path"]

#: Version of the export format; bumped on any incompatible change.
EXPORT_SCHEMA_VERSION = "1.0"

_TSV_COLUMNS = (
    "record_type", "id", "name", "biomarker", "tumor_type", "therapy", "regimen", "effect",
    "outcome", "direction", "level", "kind", "mechanism", "category", "timing", "numbers",
    "sources", "where",
)


def schema_path() -> Path:
    """The JSON Schema shipped with the package for ``herscape kb export --format json``."""
    return Path(__file__).resolve().parent / "schema" / "kb_export.schema.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export, generated from the record models."""
    defs: dict[str, Any] = {}
    props: dict[str, Any] = {
        "schema_version": {"type": "string", "const": EXPORT_SCHEMA_VERSION},
        "kb_hash": {"type": "string"},
        "stats": {"type": "object", "additionalProperties": {"type": "integer"}},
    }
    for kind, model in RECORD_TYPES.items():
        schema = TypeAdapter(list[model]).json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        props[kind] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://herscape.org/schema/kb_export.schema.json",
        "title": "herscape knowledge base export",
        "type": "object",
        "required": ["schema_version", "kb_hash", "stats", *RECORD_TYPES],
        "additionalProperties": False,
        "properties": props,
        "$defs": defs,
    }


def export_json(kb: KnowledgeBase, *, kb_hash: str) -> str:
    """Every record as one JSON document (see :func:`export_schema`)."""
    doc: dict[str, Any] = {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "kb_hash": kb_hash,
        "stats": kb.stats(),
    }
    for kind in RECORD_TYPES:
        doc[kind] = [rec.model_dump(mode="json", exclude_none=True) for rec in getattr(kb, kind).values()]
    return json.dumps(doc, indent=1, ensure_ascii=False)


def export_tsv(kb: KnowledgeBase) -> str:
    """Every record as one row of a tab-separated table (lists joined with ``;``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(_TSV_COLUMNS)
    for kind in RECORD_TYPES:
        for rec in getattr(kb, kind).values():
            row = []
            for col in _TSV_COLUMNS:
                if col == "record_type":
                    value: Any = SINGULAR[kind]
                elif col == "numbers":
                    value = format_numbers(getattr(rec, "numbers", None))
                elif col == "where":
                    value = format_where(list(getattr(rec, "where", []) or []))
                elif col == "name" and kind == "sources":
                    value = rec.citation
                else:
                    value = getattr(rec, col, None)
                if isinstance(value, list):
                    value = ";".join(map(str, value))
                row.append("" if value is None else str(value).replace("\t", " ").replace("\n", " "))
            writer.writerow(row)
    return buf.getvalue()
