"""Citations and number formats for evidence and strategies."""

from __future__ import annotations

from herscape.knowledge import KnowledgeBase, Numbers
from herscape.predict._types import Citation

__all__ = ["citations", "numbers_dict"]


def _url(src) -> str | None:
    if src.doi:
        return f"https://doi.org/{src.doi}"
    if src.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{src.pmid}/"
    return None


def citations(ids, kb: KnowledgeBase) -> tuple[Citation, ...]:
    """The sources with these ids, as citations with a DOI or PubMed link where known."""
    out = []
    for sid in ids:
        src = kb.sources.get(sid)
        if src is None:
            out.append(Citation(sid, sid))
        else:
            out.append(Citation(sid, src.citation, src.year, _url(src), src.trial))
    return tuple(out)


def numbers_dict(numbers: Numbers | None) -> dict:
    """The non-empty figures of a record (percent, months, unitless ratios)."""
    return numbers.model_dump(exclude_none=True) if numbers is not None else {}
