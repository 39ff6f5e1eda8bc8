"""From a tumour profile and a regimen to the inputs of the ERBB model.

Two data files beside the model say how: ``perturbations.yaml`` (biomarker pattern -> node
settings and rate scalings, with named strength parameters) and ``drug_actions.yaml`` (drug ->
action nodes, by name for antibodies, by target gene or class otherwise).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from herscape.errors import ModelError
from herscape.knowledge._pattern import Pattern, parse_pattern
from herscape.knowledge._schema import SeedRef
from herscape.network._curated import ErbbModel, models_dir

__all__ = [
    "DrugAction",
    "Perturbation",
    "PerturbationRule",
    "drug_actions",
    "load_rules",
    "perturbation_for",
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Parameter(_Strict):
    value: float = Field(gt=0)
    description: str
    sources: list[SeedRef] = Field(default_factory=list)  # seed passages stating the effect


class PerturbationRule(_Strict):
    """A biomarker pattern and what it does to the model."""

    pattern: str
    set: dict[str, float] = Field(default_factory=dict)
    fraction: dict[str, str] = Field(default_factory=dict)
    scale_up: dict[str, str] = Field(default_factory=dict)
    scale_down: dict[str, str] = Field(default_factory=dict)
    why: str
    sources: list[SeedRef] = Field(min_length=1)  # seed passages stating the biology


class RuleFile(_Strict):
    parameters: dict[str, Parameter]
    rules: list[PerturbationRule]


class _Sourced(_Strict):
    sources: list[SeedRef] = Field(default_factory=list)  # seed passages stating the action
    unsupported: str | None = None  # why the mapping is made where no seed passage states it

    @model_validator(mode="after")
    def _traced(self) -> _Sourced:
        if bool(self.sources) == bool(self.unsupported):
            raise ValueError("give either sources or unsupported (why no seed passage states it)")
        return self


class NamedAction(_Sourced):
    acts: list[str]


class TargetAction(_Sourced):
    acts: str


class ActionFile(_Strict):
    drugs: dict[str, NamedAction]
    antibody_classes: list[str]
    antibodies: dict[str, TargetAction]
    targets: dict[str, TargetAction]
    classes: dict[str, TargetAction]


@dataclass(frozen=True)
class Perturbation:
    """Model inputs for one profile: held inputs (probability ON) and rate multipliers."""

    inputs: dict[str, float] = field(default_factory=dict)
    scale_up: dict[str, float] = field(default_factory=dict)
    scale_down: dict[str, float] = field(default_factory=dict)
    #: (pattern, why, sources) of each rule that matched; sources as ``seed 002:120`` strings
    applied: tuple[tuple[str, str, str], ...] = ()

    def merged(self, other: Perturbation) -> Perturbation:
        """This perturbation with ``other`` applied on top."""
        return Perturbation(
            inputs={**self.inputs, **other.inputs},
            scale_up={**self.scale_up, **other.scale_up},
            scale_down={**self.scale_down, **other.scale_down},
            applied=self.applied + other.applied,
        )


@dataclass(frozen=True)
class DrugAction:
    """How one drug acts on the model: its action nodes, why (name, components, target or
    class), and the seed passages behind the entries used (``seed 001:17; ...``)."""

    drug: str
    nodes: tuple[str, ...]
    basis: str
    sources: str = ""


#: libyaml when installed: the same values, several times faster than the pure-Python reader.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    """The validated file, from the on-disk cache when the file and this module are unchanged
    (reading and validating both rule files costs about 0.08 s in every fresh process)."""
    from herscape import __version__
    from herscape._config import cache_dir

    data = path.read_bytes()
    h = hashlib.sha256(data)
    h.update(Path(__file__).read_bytes())
    h.update(f"{model.__name__} {__version__}".encode())
    cached = cache_dir() / f"{path.stem}-{h.hexdigest()[:16]}.pickle"
    try:
        return pickle.loads(cached.read_bytes())  # our own cache, written below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from other code: read the file
    try:
        doc = model.model_validate(yaml.load(data.decode("utf-8"), Loader=_LOADER))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ModelError(f"{path.name} does not validate: {exc}", source=str(path)) from exc
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)  # atomic: readers see a whole cache or none
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only cache only costs the reading next time
    return doc


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> tuple[tuple[PerturbationRule, Pattern], ...]:
    """The alteration rules with their parsed patterns and resolved parameters."""
    path = path or models_dir() / "perturbations.yaml"
    doc = _read(path, RuleFile)
    out = []
    for i, rule in enumerate(doc.rules):
        for name in [*rule.fraction.values(), *rule.scale_up.values(), *rule.scale_down.values()]:
            if name not in doc.parameters:
                raise ModelError(
                    f"rule {i + 1} ({rule.pattern!r}) names unknown parameter {name!r}",
                    source=str(path),
                    field="parameters",
                    value=name,
                )
        resolved = rule.model_copy(
            update={
                "fraction": {k: doc.parameters[v].value for k, v in rule.fraction.items()},
                "scale_up": {k: doc.parameters[v].value for k, v in rule.scale_up.items()},
                "scale_down": {k: doc.parameters[v].value for k, v in rule.scale_down.items()},
            }
        )
        out.append((resolved, parse_pattern(rule.pattern)))
    return tuple(out)


def rule_parameters(path: Path | None = None) -> dict[str, Parameter]:
    """The named strength parameters of the alteration rules."""
    return _read(path or models_dir() / "perturbations.yaml", RuleFile).parameters


def perturbation_for(holds: Callable[[Pattern], bool], *, rules=None) -> Perturbation:
    """The model perturbation implied by a profile.

    Parameters
    ----------
    holds
        Says whether a biomarker pattern holds for the profile (the knowledge matcher).
    rules
        Parsed rules (default: the shipped ``perturbations.yaml``).
    """
    inputs: dict[str, float] = {}
    up: dict[str, float] = {}
    down: dict[str, float] = {}
    applied = []
    for rule, pattern in rules or load_rules():
        if not holds(pattern):
            continue
        inputs.update(rule.set)
        inputs.update(rule.fraction)  # already resolved to probabilities
        for target, factors in ((up, rule.scale_up), (down, rule.scale_down)):
            for node, k in factors.items():
                target[node] = target.get(node, 1.0) * float(k)
        applied.append((rule.pattern, rule.why, _cite(rule.sources)))
    return Perturbation(inputs=inputs, scale_up=up, scale_down=down, applied=tuple(applied))


@lru_cache(maxsize=4)
def _actions(path: Path | None = None) -> ActionFile:
    return _read(path or models_dir() / "drug_actions.yaml", ActionFile)


def drug_actions(drugs: Iterable[object], *, erbb: ErbbModel,
                 lookup: Callable[[str], object | None] | None = None) -> list[DrugAction]:
    """How each drug (knowledge :class:`~herscape.knowledge.Drug`) acts on the model.

    ``lookup`` finds a catalogue drug by id, so that a mixture or regimen acts as its
    ``components``. A drug with no action node (no target in the model) gets an empty ``nodes``
    tuple and a ``basis`` that says so; callers report it rather than drop it silently.
    """
    out = []
    for drug in drugs:
        nodes, basis, used = _resolve(drug, _actions(), lookup)
        unknown = [n for n in nodes if n not in erbb.inputs]
        if unknown:
            raise ModelError(
                f"drug action of {drug.id!r} names unknown model nodes {unknown}",
                field="drug_actions",
                value=drug.id,
            )
        cites = dict.fromkeys(_cite(e.sources) if e.sources else "not stated in the seeds"
                              for e in used)
        out.append(DrugAction(drug.id, tuple(nodes), basis or "no target in the model",
                              "; ".join(cites)))
    return out


def _resolve(drug, table: ActionFile, lookup) -> tuple[list[str], str, list[_Sourced]]:
    """Action nodes, basis and the file entries used, by the order in drug_actions.yaml."""
    names = {drug.id, drug.name.lower(), *(s.lower() for s in drug.synonyms)}
    named = next((table.drugs[n] for n in table.drugs if n in names), None)
    if named is not None:
        return list(named.acts), "named", [named]
    parts = [lookup(c) for c in drug.components] if lookup else []
    nodes: list[str] = []
    used: list[_Sourced] = []
    if parts and all(parts):
        for part in parts:
            part_nodes, _, part_used = _resolve(part, table, lookup)
            nodes += [n for n in part_nodes if n not in nodes]
            used += part_used
        return nodes, f"components {', '.join(drug.components)}", used
    antibody = str(drug.drug_class) in table.antibody_classes
    for target in drug.targets:
        entry = (table.antibodies.get(target) if antibody else None) or table.targets.get(target)
        if entry and entry.acts not in nodes:
            nodes.append(entry.acts)
            used.append(entry)
    basis = f"targets {', '.join(drug.targets)}" if nodes else ""
    cls = table.classes.get(str(drug.drug_class))
    if cls and cls.acts not in nodes:
        nodes.append(cls.acts)
        used.append(cls)
        basis = basis or f"class {drug.drug_class}"
    return nodes, basis, used


def _cite(sources: Iterable[SeedRef]) -> str:
    """Seed references as text: ``seed 000:166; seed 002:107``."""
    return "; ".join(f"seed {s.seed}:{s.line}" for s in sources)
