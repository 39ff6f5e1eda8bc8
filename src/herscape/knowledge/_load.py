"""Load and validate the curated knowledge files into a :class:`KnowledgeBase`.

All problems are collected (file, line, record id, field, reason) and raised together as one
:class:`~herscape.errors.KnowledgeBaseError` whose ``problems`` lists each of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from herscape._config import seeds_dir
from herscape.errors import HerscapeError, KnowledgeBaseError
from herscape.knowledge._kb import KnowledgeBase
from herscape.knowledge._pattern import Marker, atoms, parse_pattern
from herscape.knowledge._schema import (
    Assertion,
    Drug,
    DrugStatus,
    MarkerDef,
    Mechanism,
    Release,
    SeedRef,
    Source,
    Strategy,
)
from herscape.knowledge._seedcheck import quote_found
from herscape.knowledge._yaml import Located, read_mapping, read_records
from herscape.profile._oncotree import oncotree

__all__ = ["RECORD_TYPES", "RELEASE_FILE", "SINGULAR", "data_dir", "data_files", "load_kb", "load_release"]

#: Folder name -> record model, in load order.
RECORD_TYPES: dict[str, type[BaseModel]] = {
    "sources": Source,
    "drugs": Drug,
    "markers": MarkerDef,
    "mechanisms": Mechanism,
    "assertions": Assertion,
    "strategies": Strategy,
    "status": DrugStatus,
}


SINGULAR = {"sources": "source", "drugs": "drug", "markers": "marker", "mechanisms": "mechanism",
            "assertions": "assertion", "strategies": "strategy", "status": "drug status"}

#: The knowledge release file, beside the record folders.
RELEASE_FILE = "release.yaml"


def data_dir() -> Path:
    """The shipped knowledge folder."""
    return Path(__file__).resolve().parent / "data"


def data_files(root: Path | None = None) -> list[Path]:
    """Every knowledge file under ``root`` in a stable order."""
    root = root or data_dir()
    files = sorted(p for kind in RECORD_TYPES for p in (root / kind).glob("*.y*ml"))
    release = root / RELEASE_FILE
    return [*files, release] if release.is_file() else files


def load_release(root: Path | None = None) -> Release | None:
    """The release (version, date) of a knowledge folder, or None when it has no ``release.yaml``.

    Raises
    ------
    KnowledgeBaseError
        The file exists but is not a valid release (naming the file, line and field).
    """
    path = (root or data_dir()) / RELEASE_FILE
    if not path.is_file():
        return None
    item = read_mapping(path)
    try:
        return Release.model_validate(item.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else None
        raise KnowledgeBaseError(f"{'.'.join(map(str, err['loc']))}: {err['msg']}", source=str(path),
                                 line=item.line_of(key), field=key, value=err.get("input")) from exc


@dataclass
class _Collector:
    problems: list[HerscapeError] = field(default_factory=list)

    def add(self, item: Located | None, message: str, *, key: str | None = None,
            path: Path | None = None, value: Any = None) -> None:
        record = item.data.get("id") if item is not None else None
        self.problems.append(
            KnowledgeBaseError(
                message,
                source=str(item.path if item is not None else path),
                line=item.line_of(key) if item is not None else None,
                record=str(record) if record is not None else None,
                field=key,
                value=value,
            )
        )


def _parse(model: type[BaseModel], item: Located, bag: _Collector) -> BaseModel | None:
    try:
        return model.model_validate(item.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            key = str(loc[0]) if loc else None
            path = ".".join(str(p) for p in loc)
            bag.add(item, f"{path}: {err['msg']}", key=key, value=err.get("input"))
        return None


def _merge_sources(items: list[tuple[Located, Source]], bag: _Collector) -> dict[str, Source]:
    """One publication may be read in several seeds: same id merges its ``where`` lists."""
    merged: dict[str, tuple[Located, Source]] = {}
    for item, src in items:
        if src.id not in merged:
            merged[src.id] = (item, src)
            continue
        first_item, first = merged[src.id]
        if first_item.path == item.path:
            bag.add(item, f"duplicate source id {src.id!r} (first at line {first_item.line})", key="id")
            continue
        for name in ("year", "pmid", "doi", "nct", "study_type"):
            a, b = getattr(first, name), getattr(src, name)
            if a is not None and b is not None and a != b:
                bag.add(item, f"source {src.id!r} disagrees with {first_item.path.name} "
                              f"line {first_item.line} on {name}: {b!r} vs {a!r}", key=name)
        where = list(first.where) + [w for w in src.where if w not in first.where]
        read = list(first.read) + [r for r in src.read if r not in first.read]
        fill = {k: getattr(src, k) for k in ("pmid", "doi", "nct", "title", "trial")
                if getattr(first, k) is None and getattr(src, k) is not None}
        merged[src.id] = (first_item, first.model_copy(update={"where": where, "read": read, **fill}))
    return {k: v for k, (_, v) in merged.items()}


def load_kb(root: Path | None = None, *, check_quotes: bool | None = None) -> KnowledgeBase:
    """Read, validate and cross-check every knowledge file.

    Parameters
    ----------
    root
        Folder holding ``sources/``, ``drugs/``, ... (default: the shipped data).
    check_quotes
        Check every ``where`` quote against the seed text. Default: when the seeds are found.

    Raises
    ------
    KnowledgeBaseError
        Listing every problem in ``problems``; nothing is returned half-valid.
    """
    root = root or data_dir()
    bag = _Collector()
    parsed: dict[str, list[tuple[Located, Any]]] = {k: [] for k in RECORD_TYPES}
    for kind, model in RECORD_TYPES.items():
        for path in sorted((root / kind).glob("*.y*ml")):
            try:
                items = read_records(path)
            except KnowledgeBaseError as exc:
                bag.problems.append(exc)
                continue
            for item in items:
                record = _parse(model, item, bag)
                if record is not None:
                    parsed[kind].append((item, record))

    release = None
    try:
        release = load_release(root)
    except KnowledgeBaseError as exc:
        bag.problems.append(exc)
    sources = _merge_sources(parsed["sources"], bag)
    kb_records: dict[str, dict[str, Any]] = {"sources": sources}
    for kind in ("drugs", "markers", "mechanisms", "assertions", "strategies", "status"):
        seen: dict[str, Located] = {}
        records: dict[str, Any] = {}
        for item, rec in parsed[kind]:
            if rec.id in seen:
                first = seen[rec.id]
                bag.add(item, f"duplicate {SINGULAR[kind]} id {rec.id!r} "
                              f"(first in {first.path.name} line {first.line})", key="id")
                continue
            seen[rec.id] = item
            records[rec.id] = rec
        kb_records[kind] = records

    kb = KnowledgeBase.from_records(
        sources=sources,
        drugs=kb_records["drugs"],
        markers=kb_records["markers"],
        mechanisms=kb_records["mechanisms"],
        assertions=kb_records["assertions"],
        strategies=kb_records["strategies"],
        status=kb_records["status"],
        release=release,
        bag=bag,
    )
    located = {id(rec): item for kind in parsed for item, rec in parsed[kind]}
    _cross_check(kb, located, bag)
    if check_quotes is None:
        check_quotes = seeds_dir() is not None
    if check_quotes:
        _check_quotes(kb, parsed, bag)
    if bag.problems:
        n = len(bag.problems)
        raise KnowledgeBaseError(f"knowledge base has {n} problem{'s' * (n != 1)}",
                                 problems=bag.problems, source=str(root))
    return kb


def _cross_check(kb: KnowledgeBase, located: dict[int, Located], bag: _Collector) -> None:
    def where(rec: Any) -> Located | None:
        return located.get(id(rec))

    def need_sources(rec: Any) -> None:
        for sid in getattr(rec, "sources", []):
            if sid not in kb.sources:
                bag.add(where(rec), f"source {sid!r} is not defined in sources/", key="sources", value=sid)

    def need_trace(rec: Any) -> None:
        """A record with no seed line must cite only sources read outside the seeds (with an
        identifier and a reading address), so that every claim can be traced."""
        if getattr(rec, "where", None):
            return
        for sid in rec.sources:
            src = kb.sources.get(sid)
            if src is not None and not src.read:
                bag.add(where(rec), f"record has no 'where' (seed line) and cites {sid!r}, which has "
                                    "no 'read' address: give the seed line or a read source",
                        key="where", value=sid)

    def need_setting(rec: Any) -> None:
        setting = getattr(rec, "setting", None)
        if setting is not None and setting.prior:
            need_drugs(rec, "setting", setting.prior)

    def need_drugs(rec: Any, key: str, names: Iterable[str]) -> None:
        for name in names:
            if kb.find_drug(name) is None:
                close = ", ".join(kb.closest_drugs(name)) or "none"
                bag.add(where(rec), f"drug {name!r} does not resolve (closest: {close})",
                        key=key, value=name)

    def need_pattern(rec: Any, key: str, text: str | None) -> None:
        if not text:
            return
        try:
            pattern = parse_pattern(text)
        except KnowledgeBaseError as exc:
            bag.add(where(rec), exc.message, key=key, value=text)
            return
        for atom in atoms(pattern):
            if isinstance(atom, Marker):
                problem = kb.marker_problem(atom.name, atom.value)
                if problem:
                    bag.add(where(rec), problem, key=key, value=text)

    tree = oncotree()

    def need_tumor(rec: Any, codes: Iterable[str]) -> None:
        """A tumour type the shipped OncoTree does not hold would never match a profile."""
        for code in codes:
            if code not in tree:
                bag.add(where(rec), f"tumour type {code!r} is not an OncoTree code herscape ships "
                                    "(profile/data/oncotree.tsv)", key="tumor_type", value=code)

    def need_mechanism(rec: Any) -> None:
        mid = getattr(rec, "mechanism", None)
        if mid is not None and mid not in kb.mechanisms:
            bag.add(where(rec), f"mechanism {mid!r} is not defined in mechanisms/", key="mechanism", value=mid)

    checks: list[tuple[Iterable[Any], Callable[[Any], None]]] = [
        (kb.drugs.values(), lambda d: (need_sources(d), need_drugs(d, "components", d.components))),
        (kb.mechanisms.values(), lambda m: (
            need_sources(m), need_trace(m),
            need_drugs(m, "therapies", m.therapies),
            [need_pattern(m, "biomarkers", b) for b in m.biomarkers],
        )),
        (kb.assertions.values(), lambda a: (
            need_sources(a), need_mechanism(a), need_trace(a), need_setting(a), need_tumor(a, [a.tumor_type]),
            need_drugs(a, "therapy", a.therapy.split("+")),
            need_pattern(a, "biomarker", a.biomarker),
        )),
        (kb.strategies.values(), lambda s: (
            need_sources(s), need_mechanism(s), need_trace(s), need_setting(s), need_tumor(s, [s.tumor_type]),
            need_drugs(s, "fails", s.fails.split("+")),
            need_drugs(s, "regimen", s.regimen.split("+")),
            need_pattern(s, "biomarker", s.biomarker),
        )),
        (kb.markers.values(), need_sources),
        (kb.status.values(), lambda st: (_check_status(kb, st, where(st), bag, need_pattern),
                                         need_tumor(st, [a.tumor_type for a in st.approvals]))),
    ]
    for records, check in checks:
        for rec in records:
            check(rec)
    for strat in kb.strategies.values():
        if strat.mechanism is None and strat.biomarker is None:
            bag.add(where(strat), "a strategy needs a mechanism or a biomarker", key="mechanism")


def _check_quotes(kb: KnowledgeBase, parsed: dict[str, list[tuple[Located, Any]]],
                  bag: _Collector) -> None:
    seeds = seeds_dir()
    if seeds is None:
        return
    for kind in parsed:
        for item, rec in parsed[kind]:
            for ref in getattr(rec, "where", []):
                ref: SeedRef
                found = quote_found(seeds, ref.seed, ref.line, ref.quote)
                if found is False:
                    bag.add(item, f"quote {ref.quote!r} not found within 3 lines of seed "
                                  f"{ref.seed} line {ref.line}", key="where", value=ref.quote)


def _check_status(kb: KnowledgeBase, status: DrugStatus, item: Located | None, bag: _Collector,
                  need_pattern: Callable[[Any, str, str | None], None]) -> None:
    """A status names a drug by id; its sources exist; an approval cites a read source (the label
    or announcement), names a regimen that contains the drug, and agrees with ``approved``."""
    drug = kb.drugs.get(status.id)
    if drug is None:
        bag.add(item, f"drug status {status.id!r}: no drug has this id (use the drug record's id)",
                key="id", value=status.id)
        return
    cited = [("sources", sid) for sid in status.sources]
    cited += [("approvals", a.source) for a in status.approvals]
    if status.discontinued is not None:
        cited.append(("discontinued", status.discontinued.source))
    for key, sid in cited:
        src = kb.sources.get(sid)
        if src is None:
            bag.add(item, f"source {sid!r} is not defined in sources/", key=key, value=sid)
        elif key == "approvals" and not src.read:
            bag.add(item, f"approval cites {sid!r}, which has no 'read' address (cite the label or "
                          "the approval announcement read)", key=key, value=sid)
    for approval in status.approvals:
        need_pattern(status, "approvals", approval.biomarker)
        _check_approval_drugs(kb, drug.id, approval, item, bag)
    approved = status.state == "approved"
    if drug.approved != approved:
        bag.add(item, f"drug {drug.id!r} has approved: {str(drug.approved).lower()} but its status is "
                      f"{status.state!r}", key="phase", value=status.phase.value)


def _check_approval_drugs(kb: KnowledgeBase, drug_id: str, approval: Any, item: Located | None,
                          bag: _Collector) -> None:
    """Drug names in an approval (setting ``prior``, ``regimen``) resolve; the regimen holds the drug."""
    for name in approval.setting.prior if approval.setting is not None else []:
        if kb.find_drug(name) is None:
            bag.add(item, f"approval setting prior drug {name!r} does not resolve", key="approvals", value=name)
    if not approval.regimen:
        return
    parts = approval.regimen.split("+")
    found = [kb.find_drug(n) for n in parts]
    for name, drug in zip(parts, found, strict=True):
        if drug is None:
            bag.add(item, f"approval regimen drug {name!r} does not resolve", key="approvals",
                    value=approval.regimen)
    if all(found) and drug_id not in {d.id for d in found if d is not None}:
        bag.add(item, f"approval regimen {approval.regimen!r} does not contain {drug_id!r}",
                key="approvals", value=approval.regimen)
