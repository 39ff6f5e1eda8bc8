"""Build ``src/herscape/profile/data/oncotree.tsv`` from an OncoTree release (nested JSON).

Usage::

    python scripts/build_oncotree.py ../shared/data/oncotree/oncotree_2025_10_03.json

The release is the nested tree of github cBioPortal/oncotree ``trees/*.json`` (each node:
``code``, ``name``, ``mainType``, ``parent``, ``children``, ``history``). Every node becomes
one row: code, name, parent, main type, and the earlier codes the node was renamed from
(``history``), so that a study written with an old code still reads. OncoTree is licensed
CC BY 4.0; the output file's header carries the attribution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "herscape" / "profile" / "data" / "oncotree.tsv"

HEADER = """\
# OncoTree tumour types: the complete release {release}, every node with its parent, main type
# and the earlier codes it was renamed from (history), so that old codes still resolve.
# Source: OncoTree, Memorial Sloan Kettering Cancer Center (oncotree.mskcc.org; Kundra R et al.
# JCO Clin Cancer Inform 2021;5:221-30), github cBioPortal/oncotree trees/{name}.
# Licence: Creative Commons Attribution 4.0 International (CC BY 4.0). Redistributed unchanged
# in content (one row per node), reformatted to TSV by scripts/build_oncotree.py.
# Columns: code, name, parent (empty for the root), main_type, history (earlier codes, comma-separated)
"""


def _walk(node: dict, out: list[dict]) -> None:
    out.append(node)
    children = node.get("children") or {}
    for child in (children.values() if isinstance(children, dict) else children):
        _walk(child, out)


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\t", " ").split())


def build(release: Path) -> str:
    """The TSV text for the release at ``release``."""
    data = json.loads(release.read_text(encoding="utf-8"))
    roots = list(data.values()) if isinstance(data, dict) and "code" not in data else [data]
    nodes: list[dict] = []
    for root in roots:
        _walk(root, nodes)
    lines = [HEADER.format(release=release.stem.removeprefix("oncotree_"), name=release.name),
             "code\tname\tparent\tmain_type\thistory"]
    seen = set()
    for node in sorted(nodes, key=lambda n: (n.get("level") or 0, n["code"])):
        code = node["code"]
        if code in seen:
            msg = f"code {code} appears twice in {release}"
            raise SystemExit(msg)
        seen.add(code)
        history = ",".join(h for h in node.get("history") or [] if h and h != code)
        lines.append("\t".join([code, _clean(node.get("name")), node.get("parent") or "",
                                _clean(node.get("mainType")), history]))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    OUT.write_text(build(Path(argv[1])), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
