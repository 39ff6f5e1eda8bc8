"""Tumour types: OncoTree codes, their hierarchy, and how two codes relate.

>>> from herscape.profile import oncotree
>>> tree = oncotree()
>>> tree.relation("COADREAD", "COAD")    # evidence for colorectal applies to colon adenocarcinoma
'broader'
>>> tree.lineage("LUAD")
('LUAD', 'NSCLC', 'LUNG', 'TISSUE')

The shipped tree (``data/oncotree.tsv``) holds the root, the tissues and the subtrees the
knowledge needs; :func:`load_oncotree` reads a full tree in the OncoTree API JSON format
(a list of ``{"code", "name", "parent", ...}``) or the TSV format of the shipped file.
"""

from __future__ import annotations

import difflib
import json
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


@dataclass(frozen=True)
class OncoTree:
    """A tree of tumour types by code, with the lookups matching needs."""

    nodes: MappingProxyType[str, TumorType]
    _lineages: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

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
        """Known codes closest to ``code`` (by spelling, then by name)."""
        upper = code.strip().upper()
        hits = difflib.get_close_matches(upper, list(self.nodes), n=n, cutoff=0.5)
        names = {t.name.upper(): t.code for t in self.nodes.values()}
        hits += [names[h] for h in difflib.get_close_matches(upper, list(names), n=n, cutoff=0.5)]
        return list(dict.fromkeys(hits))[:n]

    def problem(self, code: str) -> str | None:
        """Why ``code`` is not a known tumour type, or ``None`` if it is."""
        if code in self.nodes:
            return None
        close = self.closest(code)
        hint = f" (closest: {', '.join(close)})" if close else ""
        return f"unknown OncoTree code {code!r}{hint}"

    def check(self, code: str) -> str:
        """``code`` upper-cased if known; otherwise :class:`UsageError` naming the closest codes."""
        upper = code.strip().upper()
        problem = self.problem(upper)
        if problem is not None:
            raise UsageError(problem, field="tumor_type", value=code)
        return upper

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
        return OncoTree.from_nodes([TumorType(c, n, p or None) for c, n, p in rows])
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
        return OncoTree.from_nodes(_nodes_from_json(data, str(path)))
    nodes = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        code, name, parent, *_ = [*line.split("\t"), "", ""]
        nodes.append(TumorType(code, name, parent or None))
    return OncoTree.from_nodes(nodes)


@cache
def oncotree() -> OncoTree:
    """The shipped OncoTree (read once)."""
    return load_oncotree()


def tumor_type_problem(code: str) -> str | None:
    """Why ``code`` is not a known OncoTree code of the shipped tree, or ``None`` if it is."""
    return oncotree().problem(code)
