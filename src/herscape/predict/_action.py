"""Which mechanisms remove a drug's action outright (``predict/data/removes_action.yaml``).

Each entry names a knowledge mechanism, the catalogue drugs whose action it removes, how (epitope
mutation, truncation, masking, constitutive downstream driver, gatekeeper mutation), and the
seed line that says so. Loading checks every mechanism and drug against the knowledge base and,
when the seeds are present, every quote at its line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from herscape._config import seeds_dir
from herscape.errors import KnowledgeBaseError
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._seedcheck import quote_found
from herscape.knowledge._yaml import validated_records

__all__ = ["RemovesAction", "load_removes_action", "removes_action"]


class _Where(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: str = Field(pattern=r"^00[0-3]$")
    line: int = Field(ge=1)
    quote: str = Field(min_length=4)


class RemovesAction(BaseModel):
    """A mechanism that removes the action of the listed drugs, and how."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mechanism: str
    drugs: tuple[str, ...] = Field(min_length=1)
    how: str = Field(min_length=5)
    where: _Where


def _path() -> Path:
    return Path(__file__).resolve().parent / "data" / "removes_action.yaml"


def load_removes_action(kb: KnowledgeBase, path: Path | None = None) -> tuple[RemovesAction, ...]:
    """Read and check the file.

    Raises
    ------
    KnowledgeBaseError
        Naming the file, line and field of every problem.
    """
    path = path or _path()
    seeds = seeds_dir()
    problems: list[KnowledgeBaseError] = []
    out = []
    for _, rec, bad in validated_records(path, RemovesAction, problems, id_field="mechanism"):
        if rec.mechanism not in kb.mechanisms:
            bad(f"unknown mechanism {rec.mechanism!r}", "mechanism", rec.mechanism)
        for d in rec.drugs:
            if d not in kb.drugs:
                bad(f"unknown drug {d!r}", "drugs", d)
        w = rec.where
        if seeds is not None and not quote_found(seeds, w.seed, w.line, w.quote):
            bad(f"quote not found near seed {w.seed} line {w.line}: {w.quote!r}", "where", w.quote)
        out.append(rec)
    if problems:
        msg = f"{len(problems)} problem(s) in {path.name}"
        raise KnowledgeBaseError(msg, problems=problems, source=str(path))
    return tuple(out)


_LOADED: list[tuple[KnowledgeBase, dict[tuple[str, str], str]]] = []


def _shipped(kb: KnowledgeBase) -> dict[tuple[str, str], str]:
    """The shipped file, loaded once per knowledge base (a KnowledgeBase is not hashable)."""
    for known, value in _LOADED:
        if known is kb:
            return value
    value = {(r.mechanism, d): r.how for r in load_removes_action(kb) for d in r.drugs}
    _LOADED.append((kb, value))
    del _LOADED[:-4]
    return value


def removes_action(kb: KnowledgeBase, mechanism: str | None, drugs) -> str | None:
    """How ``mechanism`` removes the action of one of ``drugs`` (catalogue ids), or None."""
    if mechanism is None:
        return None
    table = _shipped(kb)
    for d in sorted(drugs):
        how = table.get((mechanism, d))
        if how:
            return how
    return None
