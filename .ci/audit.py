"""Dependency audit of the locked requirements (uv.lock), run by `make test` and `make audit`. It FAILS when it finds
a known vulnerability, and when it cannot run (docs/DECISIONS.md, "Dependency audit").

1. Offline, always: every package locked in uv.lock is checked against the vendored advisory database,
   .ci/advisories.json (the Python Packaging Authority's advisory database, the data behind PyPI's own reports;
   its commit and date are printed). A locked package the snapshot does not cover (added since the last refresh),
   or a missing or unreadable snapshot, fails the audit: refresh it with .ci/advisories_refresh.py.
2. Online, when reachable: pip-audit against PyPI's vulnerability service, newer than any snapshot. Its findings
   fail the audit too; when the service cannot be reached (a closed network, a mirror without the vulnerability
   API) the offline result stands, and the output says so and how old the snapshot is.
Usage: python .ci/audit.py [--offline]
"""

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".uv" / "bin" / "uv"
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
SNAPSHOT = ROOT / ".ci" / "advisories.json"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    """The locked packages and their versions (the project itself aside)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {
        normalise(p["name"]): p.get("version", "")
        for p in lock["package"]
        if p.get("source", {}).get("editable") is None and p.get("source", {}).get("virtual") is None
    }


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's rule for one range: affected from each `introduced` up to its `fixed` (excluded) or `last_affected`."""
    start: Version | None = None
    for event in events:
        kind, value = next(iter(event.items()))
        if kind == "introduced":
            start = Version("0") if value == "0" else _version(value)
        elif kind in ("fixed", "last_affected") and start is not None:
            end = _version(value)
            if end is not None and start <= version and (version < end if kind == "fixed" else version <= end):
                return True
            start = None
    return start is not None and start <= version


def affects(advisory: dict, version_text: str) -> bool:
    version = _version(version_text)
    for item in advisory["affected"]:
        if version_text in item["versions"]:
            return True
        if version is not None and any(in_range(version, events) for events in item["ranges"]):
            return True
    return False


def offline(packages: dict[str, str]) -> tuple[list[str], list[str], str]:
    """(findings, faults that keep the audit from running, the snapshot's description)."""
    try:
        snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        covered: dict[str, list[dict]] = snapshot["packages"]
        date = datetime.fromisoformat(snapshot["date"])
    except (OSError, ValueError, KeyError) as exc:
        return [], [f"the vendored advisory database {SNAPSHOT.name} cannot be read ({exc})"], ""
    age = (datetime.now(UTC) - date).days
    commit = str(snapshot.get("commit", "?"))[:12]
    described = f"{snapshot.get('source', '?')} at {commit} of {date:%Y-%m-%d} ({age} days old)"
    findings, faults = [], []
    for name, version in sorted(packages.items()):
        if name not in covered:
            faults.append(f"{name} {version} is not in the vendored advisory database: refresh it")
            continue
        for advisory in covered[name]:
            if affects(advisory, version):
                aliases = ", ".join(advisory.get("aliases", []))
                findings.append(f"{name} {version}: {advisory['id']}" + (f" ({aliases})" if aliases else ""))
    return findings, faults, described


def online() -> tuple[list[str], str]:
    """pip-audit against PyPI's service: (findings, what happened)."""
    with tempfile.TemporaryDirectory() as work:
        requirements, report = Path(work) / "requirements.txt", Path(work) / "audit.json"
        exported = subprocess.run(
            [str(UV), "export", "--frozen", "--no-hashes", "--format", "requirements-txt", "--no-emit-project", "-q"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        requirements.write_text(exported.stdout)
        try:
            done = subprocess.run(
                [str(PIP_AUDIT), "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner", "off"]
                + ["-f", "json", "-o", str(report)],
                capture_output=True,
                text=True,
                timeout=300,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [], f"not reached ({exc.__class__.__name__})"
        if not report.exists():
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return [], f"not reached ({last[:160]})"
        dependencies = json.loads(report.read_text()).get("dependencies", [])
    audited = [d for d in dependencies if not d.get("skip_reason")]
    if not audited:
        return [], f"not reached (the service knew none of the {len(dependencies)} packages: a mirror?)"
    findings = [f"{d['name']} {d['version']}: {v['id']}" for d in audited for v in d.get("vulns", [])]
    return findings, f"{len(audited)} packages audited"


def main() -> int:
    packages = locked()
    findings, faults, described = offline(packages)
    if faults:
        for fault in faults:
            print(f"DEPENDENCY AUDIT CANNOT RUN: {fault}")
        print("Dependency audit FAILED: it could not check every locked package (docs/DECISIONS.md).")
        return 1
    print(f"Dependency audit, offline: {len(packages)} locked packages against {described}.")
    online_findings, said = ([], "skipped (--offline)") if "--offline" in sys.argv else online()
    print(f"Dependency audit, online (pip-audit, PyPI): {said}.")
    found = sorted(set(findings) | set(online_findings))
    for finding in found:
        print(f"VULNERABLE: {finding}")
    if found:
        print(f"Dependency audit FAILED: {len(found)} known vulnerabilities in the locked packages.")
        return 1
    print("Dependency audit: no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
