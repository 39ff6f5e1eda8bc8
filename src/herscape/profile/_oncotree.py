"""Tumour types: OncoTree codes, their hierarchy, and how two codes relate.

>>> from herscape.profile import oncotree
>>> tree = oncotree()
>>> tree.relation("COADREAD", "COAD")    # evidence for colorectal applies to colon adenocarcinoma
'broader'
>>> tree.lineage("LUAD")
('LUAD', 'NSCLC', 'LUNG', 'TISSUE')

The shipped tree (``data/oncotree.tsv``) is the whole OncoTree release (CC BY 4.0, built by
``scripts/build_oncotree.py``); :func:`load_oncotree` also reads a tree in the OncoTree API
JSON format (a list of ``{"code", "name", "parent", ...}``) or the TSV format of the shipped
file. :meth:`OncoTree.resolve` reads renamed codes (through the release's ``history`` and
``data/tumor_names.tsv``) and common names (``mCRC``, ``colorectal``, ``colon``), each with a
note saying how it was read; suggestions search names as well as codes.

>>> tree.resolve("mCRC")
('COADREAD', "read 'mCRC' as COADREAD: metastatic colorectal cancer (OncoTree: colorectal adenocarcinoma)")
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

from herscape.errors import UsageError
from herscape.profile._data import read_table

__all__ = ["OncoTree", "TumorType", "load_oncotree", "oncotree", "tumor_type_problem"]

ROOT = "TISSUE"


@dataclass(frozen=True, slots=True)
class TumorType:
    """One OncoTree node."""

    code: str
    name: str
    parent: str | None


def _name_key(text: str) -> str:
    return re.sub(r"[\s\-_/,]+", " ", text.strip().lower()).strip()


@dataclass(frozen=True)
class OncoTree:
    """A tree of tumour types by code, with the lookups matching needs.

    ``aliases`` maps other spellings (a renamed code, a common name) to ``(code, note)``.
    """

    nodes: MappingProxyType[str, TumorType]
    _lineages: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    aliases: MappingProxyType[str, tuple[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False)
    _by_name: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def _names(self) -> dict[str, str]:
        """Node name (normalised) -> code, built once."""
        if not self._by_name:
            for node in self.nodes.values():
                self._by_name.setdefault(_name_key(node.name), node.code)
        return self._by_name

    def with_aliases(self, aliases: dict[str, tuple[str, str]]) -> OncoTree:
        """The same tree with ``aliases`` (key: any spelling; value: code and note) added for
        the codes it holds (aliases to codes not in the tree are dropped)."""
        merged = dict(self.aliases)
        for key, (code, note) in aliases.items():
            if code in self.nodes:
                merged.setdefault(_name_key(key), (code, note))
        return OncoTree(self.nodes, self._lineages, MappingProxyType(merged), self._by_name)

    def resolve(self, text: str) -> tuple[str, str | None] | None:
        """``(code, note)`` for a code, a renamed code, a common name or a node's full name;
        the note says how a non-code was read (``None`` for a current code). ``None`` when
        nothing matches."""
        upper = text.strip().upper()
        if upper in self.nodes:
            return upper, None
        key = _name_key(text)
        hit = self.aliases.get(key)
        if hit is not None:
            code, note = hit
            return code, f"read {text.strip()!r} as {code}: {note}"
        code = self._names().get(key)
        if code is not None:
            return code, f"read {text.strip()!r} as {code} ({self.nodes[code].name})"
        return None

    @classmethod
    def from_nodes(cls, nodes: list[TumorType]) -> OncoTree:
        """Build and check a tree: unique codes, known parents, one root, no cycles."""
        by_code: dict[str, TumorType] = {}
        for node in nodes:
            if node.code in by_code:
                msg = f"OncoTree code {node.code!r} is defined twice"
                raise UsageError(msg, field="code", value=node.code)
            by_code[node.code] = node
        for node in by_code.values():
            if node.parent is not None and node.parent not in by_code:
                msg = f"OncoTree node {node.code!r} has unknown parent {node.parent!r}"
                raise UsageError(msg, field="parent", value=node.parent)
        tree = cls(MappingProxyType(by_code))
        for code in by_code:
            tree.lineage(code)  # raises on a cycle
        return tree

    def __contains__(self, code: object) -> bool:
        return code in self.nodes

    def lineage(self, code: str) -> tuple[str, ...]:
        """``code`` and its ancestors up to the root."""
        known = self._lineages.get(code)
        if known is not None:
            return known
        out = [code]
        parent = self.nodes[code].parent
        while parent is not None:
            if parent in out:
                msg = f"OncoTree has a cycle through {parent!r}"
                raise UsageError(msg, field="parent", value=parent)
            out.append(parent)
            parent = self.nodes[parent].parent
        self._lineages[code] = tuple(out)
        return self._lineages[code]

    def closest(self, code: str, n: int = 5) -> list[str]:
        """Known codes closest to ``code``: by spelling of codes, then of names and common
        names (a word of the text found in a node's name counts too)."""
        upper = code.strip().upper()
        hits = difflib.get_close_matches(upper, list(self.nodes), n=n, cutoff=0.6)
        names = {**self._names(), **{k: c for k, (c, _) in self.aliases.items()}}
        key = _name_key(code)
        hits += [names[h] for h in difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)]
        words = [w for w in key.split() if len(w) > 3]
        hits += [c for name, c in sorted(names.items()) if words and all(w in name for w in words)]
        return list(dict.fromkeys(hits))[:n]

    def problem(self, code: str) -> str | None:
        """Why ``code`` is not a known tumour type, or ``None`` if it is (a renamed code or
        common name counts as known: see :meth:`resolve`)."""
        if self.resolve(code) is not None:
            return None
        close = self.closest(code)
        hint = f" (closest: {', '.join(f'{c} {self.nodes[c].name}' for c in close)})" if close else ""
        return f"unknown OncoTree code {code!r}{hint}"

    def check(self, code: str) -> str:
        """The OncoTree code for ``code`` (see :meth:`resolve`); otherwise
        :class:`UsageError` naming the closest codes."""
        found = self.resolve(code)
        if found is None:
            raise UsageError(self.problem(code) or "", field="tumor_type", value=code)
        return found[0]

    def relation(self, evidence: str, sample: str | None) -> str | None:
        """How evidence stated for ``evidence`` applies to a ``sample`` tumour type.

        Returns
        -------
        ``"exact"`` (same code), ``"broader"`` (evidence stated for an ancestor),
        ``"pan-cancer"`` (stated for the root), ``"narrower"`` (stated for a subtype of the
        sample's type), ``"unspecified"`` (the sample has no type), or ``None`` (unrelated).
        """
        if sample is None:
            return "unspecified"
        if evidence == sample:
            return "exact"
        if evidence == ROOT:
            return "pan-cancer"
        if evidence not in self.nodes or sample not in self.nodes:
            return None
        if evidence in self.lineage(sample):
            return "broader"
        if sample in self.lineage(evidence):
            return "narrower"
        return None

    def distance(self, evidence: str, sample: str | None) -> int:
        """Rank of the relation (0 best): exact 0, broader 1 + steps up, narrower 20 + steps,
        pan-cancer 50, unspecified 60, unrelated 99."""
        rel = self.relation(evidence, sample)
        if rel == "exact":
            return 0
        if rel == "broader" and sample is not None:
            return self.lineage(sample).index(evidence)
        if rel == "narrower" and sample is not None:
            return 20 + self.lineage(evidence).index(sample)
        return {"pan-cancer": 50, "unspecified": 60}.get(rel or "", 99)


def _nodes_from_json(data: object, source: str) -> list[TumorType]:
    if isinstance(data, dict):  # {code: {...}} as some dumps have it
        data = list(data.values())
    if not isinstance(data, list):
        msg = "an OncoTree JSON file must be a list of {code, name, parent} objects"
        raise UsageError(msg, source=source)
    nodes = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or "code" not in item:
            msg = f"OncoTree entry {i} has no 'code'"
            raise UsageError(msg, source=source, field="code")
        parent = item.get("parent") or None
        nodes.append(TumorType(str(item["code"]), str(item.get("name", item["code"])),
                               str(parent) if parent else None))
    codes = {n.code for n in nodes}
    if ROOT not in codes:  # the API lists tissues with parent TISSUE but not TISSUE itself
        nodes.append(TumorType(ROOT, "Tissue", None))
    return nodes


def load_oncotree(path: Path | str | None = None) -> OncoTree:
    """Read an OncoTree: the shipped one (``path=None``), an API JSON file, or a TSV file.

    Raises
    ------
    UsageError
        When the file cannot be read or the tree is inconsistent.
    """
    if path is None:
        _, rows = read_table("oncotree.tsv")
        tree = OncoTree.from_nodes([TumorType(r[0], r[1], r[2] or None) for r in rows])
        return tree.with_aliases(_shipped_aliases(rows))
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"cannot read OncoTree file: {exc.strerror}"
        raise UsageError(msg, source=str(path)) from exc
    if text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"OncoTree JSON does not parse: {exc.msg}"
            raise UsageError(msg, source=str(path), line=exc.lineno) from exc
        return OncoTree.from_nodes(_nodes_from_json(data, str(path))).with_aliases(_shipped_aliases())
    nodes = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        code, name, parent, *_ = [*line.split("\t"), "", ""]
        nodes.append(TumorType(code, name, parent or None))
    return OncoTree.from_nodes(nodes).with_aliases(_shipped_aliases())


def _shipped_aliases(rows: tuple[tuple[str, ...], ...] = ()) -> dict[str, tuple[str, str]]:
    """Renamed codes (the release's ``history`` column) and ``data/tumor_names.tsv``."""
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        if len(row) > 4 and row[4]:
            for old in row[4].split(","):
                out[old] = (row[0], f"{old} is the former code of {row[1]} (now {row[0]})")
    _, names = read_table("tumor_names.tsv")
    for name, code, _kind, note in names:
        out.setdefault(name, (code, note))
    return out


@cache
def oncotree() -> OncoTree:
    """The shipped OncoTree (read once)."""
    return load_oncotree()


def tumor_type_problem(code: str) -> str | None:
    """Why ``code`` is not a known OncoTree code of the shipped tree, or ``None`` if it is."""
    return oncotree().problem(code)
