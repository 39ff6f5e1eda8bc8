"""The curated ERBB resistance model: a YAML data file compiled to an engine :class:`Model`.

The file (``models/erbb_resistance.yaml``) lists nodes with a rule in MaBoSS syntax, a kind, a
description and sources (seed file, line, section, quote). Inputs keep their state; drugs,
ligands and alterations are inputs. The file also names the phenotype readouts, tumour-type
contexts (input defaults per tissue) and the reference sensitive profile of each therapy class.

Rates: a node turns ON at ``rate_up`` (default 1) while its rule holds and OFF at ``rate_down``
(default 1) while it does not; ``turnover`` (default 0) is an OFF rate while the rule holds, which
makes effector nodes partial (``P(on) = rate_up / (rate_up + turnover)``) so that scaling their up
rate changes their activity. The model compiles to MaBoSS ``.bnd``/``.cfg`` text and is parsed
by the engine's own reader, so what runs is exactly what ``herscape model convert`` exports.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from herscape.errors import ModelError
from herscape.knowledge._schema import SeedRef
from herscape.knowledge._yaml import read_records
from herscape.network._expr import parse_expression
from herscape.network._maboss import parse_maboss
from herscape.network._model import Model, Settings

__all__ = [
    "CuratedModel",
    "CuratedNode",
    "ErbbModel",
    "load_erbb_model",
    "models_dir",
]

_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CuratedNode(_Strict):
    """One node of the curated model."""

    name: str = Field(pattern=_NAME)
    kind: str
    rule: str | None = None
    input: bool = False
    default: float = Field(default=0.0, ge=0, le=1, description="inputs: probability ON")
    rate_up: float = Field(default=1.0, ge=0)
    rate_down: float = Field(default=1.0, ge=0)
    turnover: float = Field(default=0.0, ge=0)
    description: str = Field(min_length=5)
    sources: list[SeedRef] = Field(default_factory=list)


class Context(_Strict):
    """Input defaults for tumours of some OncoTree codes (matched by the code or an ancestor)."""

    id: str
    tumor_types: list[str] = Field(min_length=1)
    inputs: dict[str, float]
    description: str
    sources: list[SeedRef] = Field(default_factory=list)


class Reference(_Strict):
    """The reference sensitive profile for regimens acting through some drug nodes."""

    id: str
    nodes: list[str]
    tumor_type: str
    inputs: dict[str, float]
    description: str
    sources: list[SeedRef] = Field(default_factory=list)


class Thresholds(_Strict):
    """Model verdict thresholds on the sensitivity index (calibrated on documented cases)."""

    sensitive: float = Field(ge=0, le=2)
    resistant: float = Field(ge=0, le=2)
    #: at or below this (and above ``resistant``) the index reads reduced sensitivity: the drug
    #: still acts, less; None keeps the older three-way reading (uncertain in between)
    reduced: float | None = Field(default=None, ge=0, le=2)
    description: str

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.reduced is not None and not self.resistant <= self.reduced <= self.sensitive:
            msg = "thresholds must satisfy resistant <= reduced <= sensitive"
            raise ValueError(msg)
        return self


class CuratedModel(_Strict):
    """The whole curated model file."""

    name: str
    version: str
    title: str
    description: str
    readouts: dict[str, str]
    nodes: list[CuratedNode]
    contexts: list[Context] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    thresholds: Thresholds | None = None
    backbone_nodes: list[str] = Field(default_factory=list, description="drug nodes (cytotoxic "
                                      "backbones) kept in the reference's regimen")
    settings: dict[str, float] = Field(default_factory=dict)
    unmodelled_driver: str | None = Field(
        default=None, description="input node switched on for a profile that does not grow "
        "untreated in the model: its growth comes from drivers outside the model")


@dataclasses.dataclass(frozen=True, eq=False)  # identity hash: one loaded model, one cache key
class ErbbModel:
    """The curated model: its metadata and the compiled engine model."""

    curated: CuratedModel
    model: Model
    path: Path

    @functools.cached_property
    def inputs(self) -> frozenset[str]:
        """Names of input nodes (drugs, ligands, alterations, context); read on every simulation,
        so computed once."""
        return frozenset(n.name for n in self.curated.nodes if n.input)

    def node(self, name: str) -> CuratedNode:
        """The curated node called ``name``."""
        for node in self.curated.nodes:
            if node.name == name:
                return node
        msg = f"the ERBB model has no node {name!r}"
        raise ModelError(msg, source=str(self.path), field="node", value=name)


def models_dir() -> Path:
    """Folder of the curated model files shipped with the package."""
    return Path(__file__).resolve().parent / "models"


def _fmt(x: float) -> str:
    return repr(float(x))


def to_maboss(curated: CuratedModel) -> tuple[str, str]:
    """MaBoSS ``.bnd`` and ``.cfg`` text for the curated model."""
    bnd: list[str] = []
    cfg: list[str] = []
    for node in curated.nodes:
        rule = node.name if node.input else node.rule
        up, down, turn = f"$u_{node.name}", f"$d_{node.name}", f"$t_{node.name}"
        bnd.append(
            f"Node {node.name} {{\n  logic = ({rule});\n"
            f"  rate_up = @logic ? {up} : 0;\n  rate_down = @logic ? {turn} : {down};\n}}\n"
        )
        cfg.append(
            f"{up} = {_fmt(node.rate_up)};\n{down} = {_fmt(node.rate_down)};\n"
            f"{turn} = {_fmt(node.turnover)};"
        )
        p_on = node.default if node.input else 0.0
        cfg.append(f"[{node.name}].istate = {_fmt(p_on)} [1], {_fmt(1.0 - p_on)} [0];")
    readouts = set(curated.readouts.values())
    for node in curated.nodes:
        if node.input and node.name not in readouts:
            cfg.append(f"{node.name}.is_internal = 1;")
    settings = {"max_time": 30.0, "time_tick": 1.0, "sample_count": 2000.0, **curated.settings}
    cfg.extend(f"{k} = {_fmt(v) if k != 'sample_count' else int(v)};" for k, v in settings.items())
    return "".join(bnd), "\n".join(cfg) + "\n"


def _node_line(path: Path, name: str) -> int | None:
    """1-based line of ``name: NAME`` in the model file (for error messages), or None."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = re.compile(rf"\bname:\s*['\"]?{re.escape(name)}['\"]?\s*(?:[,}}#]|$)")
    return next((i for i, text in enumerate(lines, 1) if pattern.search(text)), None)


def _check(curated: CuratedModel, path: Path) -> None:
    names = [n.name for n in curated.nodes]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ModelError(
                f"node {name!r} is defined twice", source=str(path), field="name", value=name
            )
        seen.add(name)
    for node in curated.nodes:
        if not node.input and not node.rule:
            raise ModelError(
                f"node {node.name!r} needs a rule or input: true",
                source=str(path),
                record=node.name,
                field="rule",
            )
        if node.rule and not node.input:
            try:
                parse_expression(node.rule, logic=True)
            except ModelError as exc:
                raise ModelError(
                    f"rule of node {node.name!r} does not parse: {exc.message} in {node.rule!r}",
                    source=str(path), line=_node_line(path, node.name), record=node.name,
                    field="rule",
                ) from exc
    refs = [(f"readout {k}", "readouts", [n]) for k, n in curated.readouts.items()]
    refs += [(f"context {c.id}", "contexts", list(c.inputs)) for c in curated.contexts]
    refs += [(f"reference {r.id}", "references", [*r.nodes, *r.inputs]) for r in curated.references]
    refs += [("backbone_nodes", "backbone_nodes", list(curated.backbone_nodes))]
    if curated.unmodelled_driver is not None:
        refs += [("unmodelled_driver", "unmodelled_driver", [curated.unmodelled_driver])]
    for who, field, names in refs:
        for name in names:
            if name not in seen:
                msg = f"{who} names unknown node {name!r}"
                raise ModelError(msg, source=str(path), field=field, value=name)


def read_curated(path: Path) -> CuratedModel:
    """Read and validate a curated model file (YAML mapping)."""
    import yaml

    try:
        # libyaml when installed: the same values, several times faster than the pure-Python reader
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ModelError(
            f"YAML does not parse: {exc}", source=str(path), line=mark.line + 1 if mark else None
        ) from exc
    try:
        curated = CuratedModel.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ModelError(f"{where}: {err['msg']}", source=str(path), field=where) from exc
    _check(curated, path)
    return curated


@lru_cache(maxsize=4)
def load_erbb_model(path: Path | None = None) -> ErbbModel:
    """Load the curated ERBB resistance model (cached per path).

    Raises
    ------
    ModelError
        When the file does not validate or a rule does not parse (with file and node).
    """
    path = path or models_dir() / "erbb_resistance.yaml"
    cached = _cache_file(path)
    try:
        return pickle.loads(cached.read_bytes())  # our own cache, written below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from other code: build from the file
    erbb = _build_erbb_model(path)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps(erbb, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)  # atomic: readers see a whole cache or none
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only cache only costs the rebuild next time
    return erbb


#: Modules whose code shapes the compiled model: a change to any of them invalidates the cache.
_BUILDERS = ("_curated.py", "_maboss.py", "_expr.py", "_model.py")


def _cache_file(path: Path) -> Path:
    """Where the compiled model of ``path`` is kept between processes (reading, validating and
    compiling the YAML costs about 0.2 s; unpickling 0.01 s). Keyed by the file's bytes, the
    builders' code and the herscape version."""
    from herscape import __version__
    from herscape._config import cache_dir

    h = hashlib.sha256(path.read_bytes())
    here = Path(__file__).resolve().parent
    for name in _BUILDERS:
        h.update((here / name).read_bytes())
    h.update(__version__.encode())
    return cache_dir() / f"erbb-model-{h.hexdigest()[:16]}.pickle"


def _build_erbb_model(path: Path) -> ErbbModel:
    curated = read_curated(path)
    bnd, cfg = to_maboss(curated)
    model = parse_maboss(bnd, cfg, bnd_source=f"{path} (compiled)", name=curated.name)
    meta = {n.name: n for n in curated.nodes}
    nodes = tuple(
        dataclasses.replace(
            node,
            description=meta[node.name].description,
            kind=meta[node.name].kind,
            sources=tuple(
                f"seed {s.seed} line {s.line}: {s.quote}" for s in meta[node.name].sources
            ),
        )
        for node in model.nodes
    )
    model = dataclasses.replace(model, nodes=nodes, source=str(path))
    return ErbbModel(curated=curated, model=model, path=path)


__all__ += ["Context", "Reference", "Settings", "Thresholds", "read_curated", "to_maboss"]
__all__.sort()
_ = read_records  # the knowledge YAML reader is the one used for line-aware errors elsewhere
