"""Regimens: unordered sets of drugs given together."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Regimen"]


@dataclass(frozen=True, slots=True)
class Regimen:
    """Drugs given together, as canonical drug ids; order does not matter.

    ``str(regimen)`` joins the ids alphabetically with ``+``.
    """

    drugs: frozenset[str]

    def __str__(self) -> str:
        return "+".join(sorted(self.drugs))

    def __contains__(self, drug_id: str) -> bool:
        return drug_id in self.drugs

    def __len__(self) -> int:
        return len(self.drugs)

    def with_(self, *drug_ids: str) -> Regimen:
        """A new regimen with ``drug_ids`` added."""
        return Regimen(self.drugs | frozenset(drug_ids))
