"""Read and write a model in any supported format, chosen from the file extension.

========================  ============================================================
extension                 format
========================  ============================================================
``.bnd`` (+ ``.cfg``)     MaBoSS (:func:`read_maboss` / :func:`write_maboss`)
``.bnet``                 Boolean network (:func:`read_bnet` / :func:`write_bnet`)
``.sbml``, ``.xml``       SBML-qual (:func:`read_sbml` / :func:`write_sbml`)
``.yaml``, ``.yml``       herscape curated model, read only (``load_erbb_model``)
========================  ============================================================
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from herscape.errors import ModelError
from herscape.network._bnet import read_bnet, write_bnet
from herscape.network._maboss import read_maboss, write_maboss
from herscape.network._model import Model

__all__ = ["MODEL_EXTENSIONS", "read_model", "write_model"]

#: File extensions :func:`read_model` and :func:`write_model` understand.
MODEL_EXTENSIONS = (".bnd", ".bnet", ".sbml", ".xml")
#: Curated model files (the ERBB model's format), which :func:`read_model` also reads.
CURATED_EXTENSIONS = (".yaml", ".yml")


def _kind(path: Path, allowed: Sequence[str] = MODEL_EXTENSIONS) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        msg = f"cannot tell the model format of {str(path)!r}: the extension must be one of {list(allowed)}"
        raise ModelError(msg, source=str(path), value=suffix)
    return suffix


def read_model(path: str | os.PathLike[str], cfg: Sequence[str | os.PathLike[str]] = ()) -> Model:
    """Read a model, choosing the reader from the extension of ``path``.

    Parameters
    ----------
    path
        A ``.bnd``, ``.bnet``, ``.sbml`` or ``.xml`` file, or a curated ``.yaml`` model (such
        as the shipped ERBB model), compiled as herscape simulates it.
    cfg
        ``.cfg`` files for a ``.bnd`` model (default: the one beside it, if any).

    Raises
    ------
    ModelError
        On an unknown extension, ``cfg`` given for a non-MaBoSS model, or a bad file.
    """
    p = Path(path)
    kind = _kind(p, (*MODEL_EXTENSIONS, *CURATED_EXTENSIONS))
    if cfg and kind != ".bnd":
        msg = f".cfg files only go with a .bnd model, not {str(p)!r}"
        raise ModelError(msg, source=str(p))
    if kind == ".bnd":
        return read_maboss(p, list(cfg) or None)
    if kind == ".bnet":
        return read_bnet(p)
    if kind in CURATED_EXTENSIONS:
        from herscape.network._curated import load_erbb_model  # the curated module imports this one

        return load_erbb_model(p).model
    from herscape.network._sbml import read_sbml  # libsbml loads only when SBML is used

    return read_sbml(p)


def write_model(model: Model, path: str | os.PathLike[str]) -> list[Path]:
    """Write ``model`` in the format named by the extension of ``path``.

    A ``.bnd`` path also writes the ``.cfg`` beside it.

    Returns
    -------
    list[Path]
        The files written.
    """
    p = Path(path)
    kind = _kind(p)
    if kind == ".bnd":
        return list(write_maboss(model, p))
    if kind == ".bnet":
        return [write_bnet(model, p)]
    from herscape.network._sbml import write_sbml

    return [write_sbml(model, p)]
