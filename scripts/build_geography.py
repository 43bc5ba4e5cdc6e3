#!/usr/bin/env python3
"""Build newswatch/data/geo_fr.tsv.gz from the Etalab package @etalab/decoupage-administratif.

That npm package ships INSEE's Code officiel géographique as JSON (every commune with its INSEE
code, département, région and legal population; data under Licence Ouverte 2.0, code MIT). This
script turns it into the compact table newswatch reads at run time, so nothing is downloaded then:

    npm pack @etalab/decoupage-administratif@6.0.0        # or any later vintage
    python3 scripts/build_geography.py etalab-decoupage-administratif-6.0.0.tgz

Rows (tab-separated, one header line): kind, code, name, departement, region, population, parent.
kind is R (région), D (département), C (commune), A (arrondissement municipal: Paris 1er...) or
H (a former commune merged into `parent`, still used by the press: "Cherbourg-Octeville").
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "newswatch" / "data" / "geo_fr.tsv.gz"
COLUMNS = ("kind", "code", "name", "departement", "region", "population", "parent")


def _member(archive: tarfile.TarFile, name: str) -> list[dict]:
    handle = archive.extractfile(f"package/data/{name}")
    if handle is None:
        raise SystemExit(f"{name} missing from the archive")
    return json.load(handle)


def rows(archive_path: Path) -> list[tuple[str, ...]]:
    with tarfile.open(archive_path) as archive:
        regions = _member(archive, "regions.json")
        departements = _member(archive, "departements.json")
        communes = _member(archive, "communes.json")
    out: list[tuple[str, ...]] = []
    out += [("R", r["code"], r["nom"], "", r["code"], "", "") for r in regions]
    out += [("D", d["code"], d["nom"], d["code"], d.get("region", ""), "", "") for d in departements]
    current = {c["code"]: c["nom"] for c in communes if c["type"] == "commune-actuelle"}
    for c in communes:
        kind = {"commune-actuelle": "C", "arrondissement-municipal": "A"}.get(c["type"], "H")
        # Overseas collectivities (zone "com") have no département in the COG: not part of this table.
        if not c.get("departement"):
            continue
        parent = c.get("commune") or c.get("chefLieu") or ""
        if kind == "H" and (parent not in current or current[parent] == c["nom"]):
            # A delegated commune named like its new commune adds nothing; one whose parent is not a
            # current commune cannot be placed.
            continue
        population = str(c.get("population", "")) if kind in ("C", "A") else ""
        out.append((kind, c["code"], c["nom"], c["departement"], c.get("region", ""), population, parent))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    table = rows(Path(argv[0]))
    text = io.StringIO()
    text.write("\t".join(COLUMNS) + "\n")
    for row in table:
        text.write("\t".join(row) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so a rebuild shows no spurious diff.
    with gzip.GzipFile(OUT, "wb", mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))
    kinds = {k: sum(1 for r in table if r[0] == k) for k in "RDCAH"}
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
