"""Dependency audit: pip-audit over the locked requirements (uv.lock), run by `make test` and `make audit`.

Fails only on vulnerabilities found. When the vulnerability service cannot be reached, or it does not know
the packages (a PyPI mirror without PyPI's JSON API), the audit is reported as NOT DONE, loudly, and passes:
a build must not break because a service outside is down (docs/DECISIONS.md, "Dependency audit").
Usage: python .ci/audit.py [pip-audit's --vulnerability-service: pypi (default) or osv]
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".uv" / "bin" / "uv"
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"


def main() -> int:
    service = sys.argv[1] if len(sys.argv) > 1 else "pypi"
    with tempfile.TemporaryDirectory() as work:
        requirements = Path(work) / "requirements.txt"
        report = Path(work) / "audit.json"
        exported = subprocess.run(
            [str(UV), "export", "--frozen", "--no-hashes", "--format", "requirements-txt", "--no-emit-project", "-q"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        requirements.write_text(exported.stdout)
        done = subprocess.run(
            [str(PIP_AUDIT), "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner", "off"]
            + ["-s", service, "-f", "json", "-o", str(report)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not report.exists():
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            print(f"DEPENDENCY AUDIT NOT DONE: pip-audit could not reach its service ({service}): {last}")
            return 0
        dependencies = json.loads(report.read_text()).get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in: {fixed})")
    if vulnerable:
        print(f"Dependency audit FAILED: {len(vulnerable)} of {audited} audited packages have known vulnerabilities.")
        return 1
    if audited == 0:
        print(
            f"DEPENDENCY AUDIT NOT DONE: the service ({service}) knew none of the {len(dependencies)} locked "
            "packages (a registry mirror without the vulnerability data?). Run `make audit` where PyPI is reached."
        )
        return 0
    note = f"; {len(skipped)} could not be audited" if skipped else ""
    print(f"Dependency audit: no known vulnerabilities in {audited} locked packages{note}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
