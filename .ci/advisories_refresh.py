"""Refresh the vendored advisory database (.ci/advisories.json) that `make audit` checks uv.lock against offline.

Reads a checkout of the Python Packaging Authority's advisory database (https://github.com/pypa/advisory-database,
the data behind PyPI's own vulnerability reports and pip-audit's default service) and keeps, for every package
locked in uv.lock, its advisories (id, aliases, affected ranges and versions), with the checkout's commit and date.
A package locked later is not covered until the next refresh, and the audit fails until then.
Usage: python .ci/advisories_refresh.py PATH-TO-advisory-database [COMMIT DATE]
"""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / ".ci" / "advisories.json"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {
        normalise(p["name"]): p.get("version", "")
        for p in lock["package"]
        if p.get("source", {}).get("editable") is None and p.get("source", {}).get("virtual") is None
    }


def read_advisories(folder: Path) -> list[dict]:
    found = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("withdrawn"):
            continue
        affected = []
        for item in data.get("affected", []):
            # Version ranges of the package's own numbering; the versions listed one by one only when there are none
            # (a range of commits, type GIT, says nothing about released versions).
            ranges = [
                [{kind: str(value) for kind, value in event.items()} for event in r.get("events", [])]
                for r in item.get("ranges", [])
                if r.get("type") in ("ECOSYSTEM", "SEMVER")
            ]
            versions = [] if ranges else [str(v) for v in item.get("versions", [])]
            affected.append({"ranges": ranges, "versions": versions})
        found.append({"id": data["id"], "aliases": data.get("aliases", []), "affected": affected})
    return found


def main() -> int:
    checkout = Path(sys.argv[1])
    if len(sys.argv) > 3:
        commit, date = sys.argv[2], sys.argv[3]
    else:
        shown = subprocess.run(
            ["git", "-C", str(checkout), "log", "-1", "--format=%H %cI"], capture_output=True, text=True, check=True
        )
        commit, date = shown.stdout.split()
    folders = {normalise(p.name): p for p in (checkout / "vulns").iterdir() if p.is_dir()}
    packages = {name: read_advisories(folders[name]) if name in folders else [] for name in sorted(locked_packages())}
    snapshot = {
        "source": "https://github.com/pypa/advisory-database",
        "commit": commit,
        "date": date,
        "packages": packages,
    }
    SNAPSHOT.write_text(json.dumps(snapshot, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    advisories = sum(len(v) for v in packages.values())
    print(f"{SNAPSHOT.name}: {len(packages)} locked packages, {advisories} advisories, database of {date}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
