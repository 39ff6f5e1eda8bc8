"""What an assay tested: exome, genome, a cBioPortal gene panel, or a list of genes.

>>> from herscape.profile._assay import Assay
>>> Assay.parse("exome").scopes()
(('mutation', '*'),)
>>> sorted(Assay.from_genes(["KRAS", "nras"]).scopes())
[('mutation', 'KRAS'), ('mutation', 'NRAS')]

Only an assay makes genes *assessed* beyond the features found: a MAF row for one gene says
nothing about another. ``exome`` and ``genome`` sequence every gene for mutations; a gene
panel (cBioPortal gene-panel file: ``stable_id:`` and a tab-separated ``gene_list:``) sequences
its genes; ``--tested GENE,...`` names the genes sequenced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from herscape.errors import ProfileParseError, UsageError
from herscape.profile._genes import is_well_formed, normalize_gene

__all__ = ["Assay", "read_gene_panel"]

_WHOLE = ("exome", "genome", "wes", "wgs", "whole exome", "whole genome")


@dataclass(frozen=True, slots=True)
class Assay:
    """An assay: its name and the genes it sequenced for mutations (``None``: all genes)."""

    name: str
    genes: frozenset[str] | None = None

    def scopes(self, profile_scope: str = "mutation") -> tuple[tuple[str, str], ...]:
        """The ``(scope, target)`` pairs the assay assesses for ``profile_scope``."""
        if self.genes is None:
            return ((profile_scope, "*"),)
        return tuple((profile_scope, g) for g in sorted(self.genes))

    @classmethod
    def from_genes(cls, genes: list[str] | tuple[str, ...], *, name: str = "tested") -> Assay:
        """An assay of the genes named (aliases resolve; a well-formed symbol outside herscape's
        list is kept). Raises ``UsageError`` for a name that is not a gene symbol."""
        out = set()
        for text in genes:
            t = text.strip()
            if not t:
                continue
            symbol = normalize_gene(t) or (t.upper() if is_well_formed(t) else None)
            if symbol is None:
                msg = f"--tested: {t!r} is not a gene symbol"
                raise UsageError(msg, field="tested", value=t)
            out.add(symbol)
        if not out:
            msg = "--tested names no gene"
            raise UsageError(msg, field="tested")
        return cls(name, frozenset(out))

    @classmethod
    def parse(cls, text: str) -> Assay:
        """``exome``, ``genome`` (all genes), or the path of a cBioPortal gene-panel file.

        Raises
        ------
        UsageError
            For text that is neither (naming the accepted values).
        ProfileParseError
            For a panel file that does not read.
        """
        t = text.strip()
        if t.lower() in _WHOLE:
            return cls("genome" if "genome" in t.lower() or t.lower() == "wgs" else "exome")
        path = Path(t)
        if path.is_file():
            return read_gene_panel(path)
        msg = f"--assay must be exome, genome or a gene-panel file; got {text!r} (no such file)"
        raise UsageError(msg, field="assay", value=text)


def read_gene_panel(path: Path) -> Assay:
    """A cBioPortal gene-panel file: ``stable_id: NAME`` and ``gene_list: G1<TAB>G2...``.

    Raises
    ------
    ProfileParseError
        Naming the line, for a missing key or a gene that is not a symbol.
    """
    src = str(path)
    keys: dict[str, tuple[int, str]] = {}
    text = path.read_text(encoding="utf-8-sig")
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            msg = "gene-panel lines must be 'key: value'"
            raise ProfileParseError(msg, source=src, line=lineno, value=line[:80])
        keys[key.strip().lower()] = (lineno, value.strip())
    for required in ("stable_id", "gene_list"):
        if required not in keys or not keys[required][1]:
            msg = f"gene-panel file lacks '{required}:'"
            raise ProfileParseError(msg, source=src, field=required)
    lineno, listing = keys["gene_list"]
    genes = set()
    for raw in listing.replace(",", "\t").split("\t"):
        t = raw.strip()
        if not t:
            continue
        symbol = normalize_gene(t) or (t.upper() if is_well_formed(t) else None)
        if symbol is None:
            msg = f"gene-panel gene {t!r} is not a gene symbol"
            raise ProfileParseError(msg, source=src, line=lineno, field="gene_list", value=t)
        genes.add(symbol)
    return Assay(keys["stable_id"][1], frozenset(genes))
