"""The data files shipped with :mod:`herscape.profile`, found through one helper."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["data_path", "read_table"]


def data_path(name: str) -> Path:
    """Path of the shipped data file ``name`` (in ``herscape/profile/data``)."""
    return Path(str(resources.files("herscape.profile") / "data" / name))


@cache
def read_table(name: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Read a shipped TSV: ``#`` lines are comments, the first other line is the header.

    Returns
    -------
    The header and the rows, each row padded to the header's width with empty strings.
    """
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    for raw in data_path(name).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = tuple(cells)
            continue
        rows.append(tuple(cells) + ("",) * (len(header) - len(cells)))
    return header or (), tuple(rows)
