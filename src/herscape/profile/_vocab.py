"""The marker vocabulary (``NAME=VALUE`` statements) profiles are checked against.

It is the knowledge base's marker list (``knowledge/data/markers``). Reading a profile needs
only the markers, so :func:`default_vocabulary` loads those files alone; a full
:class:`~herscape.knowledge.KnowledgeBase` works wherever a vocabulary is asked for.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from herscape.errors import KnowledgeBaseError

if TYPE_CHECKING:  # the knowledge package imports the profile package (matching)
    from herscape.knowledge import KnowledgeBase, MarkerDef

__all__ = ["MarkerVocabulary", "default_vocabulary", "marker_level"]


class MarkerVocabulary(Protocol):
    """What profile reading needs from the knowledge: marker lookup and checking."""

    def find_marker(self, name: str) -> MarkerDef | None: ...

    def marker_problem(self, name: str, value: str) -> str | None: ...


@cache
def _load(root: Path) -> KnowledgeBase:
    from pydantic import ValidationError

    from herscape.knowledge import KnowledgeBase, MarkerDef
    from herscape.knowledge._yaml import read_records

    markers: dict[str, MarkerDef] = {}
    for path in sorted((root / "markers").glob("*.y*ml")):
        for item in read_records(path):
            try:
                marker = MarkerDef.model_validate(item.data)
            except ValidationError as exc:
                msg = f"marker record does not validate: {exc.errors()[0]['msg']}"
                raise KnowledgeBaseError(msg, source=str(path), line=item.line,
                                         record=str(item.data.get("id"))) from exc
            markers.setdefault(marker.id, marker)
    return KnowledgeBase.from_records(sources={}, drugs={}, markers=markers, mechanisms={},
                                      assertions={}, strategies={})


def default_vocabulary(root: Path | None = None) -> KnowledgeBase:
    """The shipped marker vocabulary (read once), as a markers-only knowledge base."""
    from herscape.knowledge import data_dir

    return _load(root or data_dir())


def marker_level(marker: MarkerDef, number: float) -> str:
    """Categorical reading of a number: ``high``, ``low`` or ``intermediate`` by the thresholds."""
    if marker.high_threshold is not None and number >= marker.high_threshold:
        return "high"
    if marker.low_threshold is not None and number <= marker.low_threshold:
        return "low"
    return "intermediate"
