"""YAML reading that remembers where each record and field came from (1-based lines)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from herscape.errors import KnowledgeBaseError

__all__ = ["Located", "read_mapping", "read_records", "validated_records"]

M = TypeVar("M", bound=BaseModel)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Located:
    """One record as read: its data, file, first line and the line of each top-level key."""

    data: dict[str, Any]
    path: Path
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.key_lines.get(key, self.line) if key else self.line


def _compose(path: Path) -> yaml.Node | None:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        msg = f"YAML does not parse: {getattr(exc, 'problem', exc)}"
        raise KnowledgeBaseError(msg, source=str(path), line=line, column=col) from exc
    return root


def _located(node: yaml.MappingNode, path: Path) -> Located:
    data = yaml.constructor.SafeConstructor().construct_document(node)
    key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return Located(data, path, node.start_mark.line + 1, key_lines)


def read_mapping(path: Path) -> Located:
    """Read a YAML file whose top level is one mapping (e.g. ``release.yaml``).

    Raises
    ------
    KnowledgeBaseError
        When the YAML does not parse or is not a mapping.
    """
    root = _compose(path)
    if not isinstance(root, yaml.MappingNode):
        msg = "top level must be a mapping"
        raise KnowledgeBaseError(msg, source=str(path), line=root.start_mark.line + 1 if root else 1)
    return _located(root, path)


def read_records(path: Path) -> list[Located]:
    """Read a YAML file whose top level is a list of mappings.

    Raises
    ------
    KnowledgeBaseError
        When the YAML does not parse or is not a list of mappings.
    """
    root = _compose(path)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        msg = "top level must be a list of records"
        raise KnowledgeBaseError(msg, source=str(path), line=root.start_mark.line + 1)
    out = []
    for node in root.value:
        if not isinstance(node, yaml.MappingNode):
            msg = "each list item must be a mapping (a record)"
            raise KnowledgeBaseError(msg, source=str(path), line=node.start_mark.line + 1)
        out.append(_located(node, path))
    return out


#: ``bad(message, key, value=None)``: record one problem of the current record.
Complain = Callable[..., None]


def validated_records(path: Path, model: type[M], problems: list[KnowledgeBaseError], *,
                      id_field: str = "id") -> Iterator[tuple[Located, M, Complain]]:
    """Each record of a YAML list file validated against ``model``, with a ``bad`` callback that
    adds a problem naming the file, the line of the field, the record and the field.

    A record that does not validate adds one problem per pydantic error and is skipped; the
    caller's own checks use the ``bad`` it is given.
    """
    for item in read_records(path):
        def bad(msg: str, key: str | None, value: Any = None, item: Located = item) -> None:
            problems.append(KnowledgeBaseError(msg, source=str(item.path), line=item.line_of(key),
                                               record=str(item.data.get(id_field)), field=key,
                                               value=value))
        try:
            rec = model.model_validate(item.data)
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else None
                bad(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}", key, err.get("input"))
            continue
        yield item, rec, bad
