"""The validated knowledge base: records by id plus the indexes queries need."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from herscape.errors import UsageError
from herscape.knowledge._regimen import Regimen
from herscape.knowledge._schema import (
    Assertion,
    Drug,
    DrugStatus,
    MarkerDef,
    Mechanism,
    Release,
    Source,
    Strategy,
)

__all__ = ["KnowledgeBase", "drug_key"]

#: Words that join drugs in written regimens besides '+'.
_REGIMEN_JOINERS = re.compile(r"\s*(?:/|,|;|\band\b|\bwith\b|\bplus\b)\s*", re.I)
#: Salt forms written after a drug's name on labels (osimertinib mesylate).
_SALTS = frozenset({"mesylate", "dimesylate", "ditosylate", "tosylate", "hydrochloride", "hcl",
                    "dihydrochloride", "maleate", "dimaleate", "citrate", "sulfate", "sulphate",
                    "phosphate", "malate", "besylate", "succinate", "tartrate", "sodium",
                    "potassium", "acetate", "fumarate"})

_KEY = re.compile(r"[\s\-_/.,()]+")


def drug_key(name: str) -> str:
    """Lookup key for a drug name: case, spaces, hyphens and dots ignored (``T-DM1`` = ``tdm1``)."""
    return _KEY.sub("", name.strip().lower()).replace("β", "beta").replace("α", "alpha")


@dataclass(frozen=True)
class KnowledgeBase:
    """Every knowledge record, validated, with lookups by drug name and marker name.

    ``status`` holds each drug's :class:`DrugStatus` by drug id (see :meth:`drug_status`);
    ``release`` the knowledge release (version, date), None for a folder without ``release.yaml``.
    """

    sources: MappingProxyType[str, Source]
    drugs: MappingProxyType[str, Drug]
    markers: MappingProxyType[str, MarkerDef]
    mechanisms: MappingProxyType[str, Mechanism]
    assertions: MappingProxyType[str, Assertion]
    strategies: MappingProxyType[str, Strategy]
    _drug_index: dict[str, str] = field(repr=False)
    _marker_index: dict[str, str] = field(repr=False)
    status: MappingProxyType[str, DrugStatus] = field(default_factory=lambda: MappingProxyType({}))
    release: Release | None = None

    @classmethod
    def from_records(cls, *, sources: dict[str, Source], drugs: dict[str, Drug],  # noqa: PLR0913 - one per record type
                     markers: dict[str, MarkerDef], mechanisms: dict[str, Mechanism],
                     assertions: dict[str, Assertion], strategies: dict[str, Strategy],
                     status: dict[str, DrugStatus] | None = None, release: Release | None = None,
                     bag: Any = None) -> KnowledgeBase:
        """Build the indexes; name clashes between drugs are reported through ``bag``."""
        drug_index: dict[str, str] = {}
        for drug in drugs.values():
            for name in (drug.id, drug.name, *drug.synonyms):
                key = drug_key(name)
                other = drug_index.get(key)
                if other is not None and other != drug.id and bag is not None:
                    bag.problems.append(UsageError(
                        f"drug name {name!r} of {drug.id!r} is already a name of {other!r}",
                        record=drug.id, field="synonyms", value=name))
                drug_index.setdefault(key, drug.id)
        marker_index: dict[str, str] = {}
        for marker in markers.values():
            for name in (marker.id, *marker.aliases):
                marker_index.setdefault(name.lower(), marker.id)
        return cls(
            sources=MappingProxyType(dict(sources)),
            drugs=MappingProxyType(dict(drugs)),
            markers=MappingProxyType(dict(markers)),
            mechanisms=MappingProxyType(dict(mechanisms)),
            assertions=MappingProxyType(dict(assertions)),
            strategies=MappingProxyType(dict(strategies)),
            _drug_index=drug_index,
            _marker_index=marker_index,
            status=MappingProxyType(dict(status or {})),
            release=release,
        )

    # drugs and regimens -------------------------------------------------------------
    def find_drug(self, name: str) -> Drug | None:
        """The drug with this id, name, synonym or code name (case-insensitive), or None."""
        drug_id = self._drug_index.get(drug_key(name))
        return self.drugs[drug_id] if drug_id is not None else None

    def closest_drugs(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` known drug names closest to ``name``."""
        hits = difflib.get_close_matches(drug_key(name), list(self._drug_index), n=n, cutoff=0.6)
        return list(dict.fromkeys(self.drugs[self._drug_index[h]].name for h in hits))

    def drug(self, name: str) -> Drug:
        """Like :meth:`find_drug`, but an unknown name raises :class:`UsageError`."""
        found = self.find_drug(name)
        if found is None:
            close = ", ".join(self.closest_drugs(name)) or "no close names"
            msg = f"unknown drug {name!r} (closest: {close})"
            raise UsageError(msg, field="drug", value=name)
        return found

    def regimen(self, text: str) -> Regimen:
        """Parse ``"encorafenib+binimetinib+cetuximab"`` into a :class:`Regimen` of drug ids.

        Drugs are joined by ``+``; as reports write them, also by ``/``, ``,``, ``and``,
        ``with`` (``cetuximab/FOLFIRI``, ``cetuximab, encorafenib``, ``cetuximab and
        encorafenib``), and a salt after the name is dropped (``osimertinib mesylate``). A name
        that is a drug as a whole (``trastuzumab deruxtecan``) is never split.
        """
        names = [part.strip() for part in text.split("+")]
        if not text.strip() or any(not n for n in names):
            msg = f"regimen {text!r} must be drug names joined by '+'"
            raise UsageError(msg, field="therapy", value=text)
        ids: set[str] = set()
        for name in names:
            ids.update(self._regimen_part(name))
        return Regimen(frozenset(ids))

    def _regimen_part(self, name: str) -> list[str]:
        found = self._find_with_salt(name)
        if found is not None:
            return [found.id]
        parts = [p.strip() for p in _REGIMEN_JOINERS.split(name) if p.strip()]
        if len(parts) > 1:
            drugs = [self._find_with_salt(p) for p in parts]
            if all(d is not None for d in drugs):
                return [d.id for d in drugs if d is not None]
        return [self.drug(name).id]  # raises, naming the closest drugs

    def _find_with_salt(self, name: str) -> Drug | None:
        found = self.find_drug(name)
        if found is None:
            words = name.split()
            if len(words) > 1 and words[-1].lower() in _SALTS:
                found = self.find_drug(" ".join(words[:-1]))
        return found

    def drug_status(self, name: str) -> DrugStatus | None:
        """The development status of a drug (any name or synonym), or None when not recorded.

        Use ``.state`` (``approved``, ``investigational``, ``discontinued``, ``not_a_drug``),
        ``.is_discontinued`` (never recommend) and ``.approvals_for(tumor_type)``; an unknown drug
        name raises :class:`UsageError`.
        """
        return self.status.get(self.drug(name).id)

    # markers ------------------------------------------------------------------------
    def find_marker(self, name: str) -> MarkerDef | None:
        """The marker with this canonical name or alias (case-insensitive), or None."""
        marker_id = self._marker_index.get(name.strip().lower())
        return self.markers[marker_id] if marker_id is not None else None

    def marker_problem(self, name: str, value: str) -> str | None:
        """Why ``NAME=VALUE`` is not an accepted marker statement, or None if it is."""
        marker = self.find_marker(name)
        if marker is None:
            close = difflib.get_close_matches(name.lower(), list(self._marker_index), n=4)
            hint = f" (closest: {', '.join(close)})" if close else ""
            return f"unknown marker {name!r}{hint}; see 'herscape kb markers'"
        if value.lower() in {v.lower() for v in marker.values}:
            return None
        if marker.numeric_unit is not None:
            try:
                float(value)
            except ValueError:
                pass
            else:
                return None
        allowed = ", ".join(marker.values)
        unit = f", or a number in {marker.numeric_unit}" if marker.numeric_unit else ""
        return f"marker {marker.id} takes {allowed}{unit}; got {value!r}"

    # summary ------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        """Record counts, as ``herscape kb stats`` prints them."""
        strategies = list(self.strategies.values())
        assertions = list(self.assertions.values())
        # mechanisms, assertions, strategies: read in a seed (``where``) or beyond it (read sources)
        records = [*self.mechanisms.values(), *assertions, *strategies]
        return {
            "sources": len(self.sources),
            "sources_seed": sum(s.is_seed for s in self.sources.values()),
            "sources_read": sum(bool(s.read) for s in self.sources.values()),
            "drugs": len(self.drugs),
            "markers": len(self.markers),
            "mechanisms": len(self.mechanisms),
            "assertions": len(assertions),
            "assertions_resistance": sum(a.effect in ("resistance", "reduced_benefit") for a in assertions),
            "assertions_sensitivity": sum(a.effect == "sensitivity" for a in assertions),
            "strategies": len(strategies),
            "strategies_positive": sum(s.outcome == "positive" for s in strategies),
            "strategies_negative": sum(s.outcome == "negative" for s in strategies),
            "strategies_mixed": sum(s.outcome == "mixed" for s in strategies),
            "records_seed": sum(bool(r.where) for r in records),
            "records_read": sum(not r.where for r in records),
            "drug_status": len(self.status),
            "drugs_approved": sum(s.state == "approved" for s in self.status.values()),
            "drugs_discontinued": sum(s.is_discontinued for s in self.status.values()),
        }
