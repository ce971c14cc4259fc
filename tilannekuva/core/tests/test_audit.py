"""The dependency audit (.ci/audit.py, `make audit`): offline against the vendored advisory database, it fails on a
known vulnerability and when it cannot run (an unreadable snapshot, a locked package the snapshot does not cover)."""

import importlib.util
import json

import pytest
from django.conf import settings


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("ci_audit", settings.BASE_DIR / ".ci" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def snapshot(tmp_path, packages):
    path = tmp_path / "advisories.json"
    path.write_text(
        json.dumps({"source": "test", "commit": "0" * 40, "date": "2026-01-01T00:00:00+00:00", "packages": packages})
    )
    return path


def test_the_vendored_snapshot_covers_every_locked_package(audit, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["audit.py", "--offline"])
    assert audit.main() == 0
    assert "locked packages against https://github.com/pypa/advisory-database" in capsys.readouterr().out


def test_a_known_vulnerability_fails_the_audit(audit, monkeypatch, tmp_path, capsys):
    advisory = {
        "id": "PYSEC-TEST-1",
        "aliases": ["CVE-0000-1"],
        "affected": [{"ranges": [[{"introduced": "0"}, {"fixed": "99"}]], "versions": []}],
    }
    packages: dict[str, list] = {name: [] for name in audit.locked()} | {"django": [advisory]}
    monkeypatch.setattr(audit, "SNAPSHOT", snapshot(tmp_path, packages))
    monkeypatch.setattr("sys.argv", ["audit.py", "--offline"])
    assert audit.main() == 1
    assert "VULNERABLE: django" in capsys.readouterr().out


@pytest.mark.parametrize("fault", ["missing", "uncovered"])
def test_an_audit_that_cannot_run_fails(audit, monkeypatch, tmp_path, capsys, fault):
    packages: dict[str, list] = {name: [] for name in audit.locked() if name != "django"}
    path = tmp_path / "nothing.json" if fault == "missing" else snapshot(tmp_path, packages)
    monkeypatch.setattr(audit, "SNAPSHOT", path)
    monkeypatch.setattr("sys.argv", ["audit.py", "--offline"])
    assert audit.main() == 1
    assert "DEPENDENCY AUDIT CANNOT RUN" in capsys.readouterr().out


def test_ranges_follow_osv(audit):
    from packaging.version import Version

    events = [{"introduced": "5.0"}, {"fixed": "5.0.8"}, {"introduced": "4.2"}, {"fixed": "4.2.15"}]
    assert [audit.in_range(Version(v), events) for v in ["4.1", "4.2.14", "4.2.15", "5.0.7", "5.2"]] == [
        False,
        True,
        False,
        True,
        False,
    ]


def test_a_production_install_has_no_development_tools():
    """`make install-production` is `uv sync --frozen --no-dev`: the runtime dependencies, not the dev group."""
    import subprocess

    makefile = (settings.BASE_DIR / "Makefile").read_text(encoding="utf-8")
    assert "install-production: | $(UV)\n\t$(UV) sync --frozen --no-dev --quiet" in makefile
    uv = settings.BASE_DIR / ".uv" / "bin" / "uv"
    if not uv.exists():
        pytest.skip("uv is not installed in this checkout (make install)")
    exported = subprocess.run(
        [str(uv), "export", "--frozen", "--no-dev", "--no-hashes", "--format", "requirements-txt", "--no-emit-project"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    names = {line.split("==")[0].strip() for line in exported.splitlines() if "==" in line}
    assert {"django", "gunicorn", "psycopg"} <= names
    assert not names & {"pytest", "ruff", "mypy", "playwright", "pip-audit", "hypothesis", "schemathesis"}
