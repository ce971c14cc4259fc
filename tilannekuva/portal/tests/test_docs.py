"""Documentation is tested: every command, setting and API field the product has is documented where the README
points (docs/COMMANDS.md, docs/SETTINGS.md, docs/API.md), the README stays short with its two set-up commands,
and every documentation file the code or the docs cite exists and holds the section cited."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from tilannekuva.dashboard.status import Status
from tilannekuva.reports.openapi import document

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
SETTINGS = (ROOT / "tilannekuva" / "settings.py").read_text(encoding="utf-8")


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_tilannekuva_command_is_documented():
    ours = [name for name, app in get_commands().items() if app.startswith("tilannekuva")]
    assert ours, "no commands found"
    assert [name for name in ours if f"tilannekuva {name}" not in doc("COMMANDS.md")] == []


def test_every_environment_variable_is_documented():
    variables = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', SETTINGS)) | set(
        re.findall(r'env_bool\("([A-Z_]+)"', SETTINGS)
    )
    variables |= {"DEMO_ADMIN_PASSWORD"}
    assert sorted(v for v in variables if f"`{v}`" not in doc("SETTINGS.md")) == []


def test_every_api_path_parameter_and_field_is_documented():
    """What the OpenAPI document describes (the API's own description, checked against it by schemathesis) is in
    docs/API.md: each path, each parameter and each field of every answer."""
    api, openapi = doc("API.md"), document()
    paths = [path for path in openapi["paths"] if path not in api]
    parameters = {p["name"] for operation in openapi["paths"].values() for p in operation["get"].get("parameters", [])}
    fields = {name for schema in openapi["components"]["schemas"].values() for name in schema.get("properties", {})}
    assert (paths, sorted(n for n in parameters | fields if f"`{n}`" not in api)) == ([], [])


def test_readme_is_short_with_exactly_the_two_setup_commands():
    assert "make demo" in README and "make test" in README
    assert len(README.splitlines()) <= 150
    setup = README.split("## Two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in setup.strip().splitlines()] == ["make demo", "make test"]


def test_the_dashboard_doc_names_every_status_as_the_interface_does():
    from django.utils import translation

    page = doc("DASHBOARD.md")
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            assert [s.label for s in Status if s.label not in page] == [], language


CODE = [
    *ROOT.glob("tilannekuva/**/*.py"),
    *ROOT.glob("tilannekuva/**/*.html"),
    *ROOT.glob("bench/*.py"),
    *ROOT.glob("testing/*.py"),
    *ROOT.glob("e2e/*.py"),
    *ROOT.glob(".ci/*"),
    ROOT / "Makefile",
    ROOT / "conftest.py",
    ROOT / "README.md",
    *DOCS.glob("*.md"),
]
CITED = re.compile(r"\b((?:docs|data|bench)/[A-Za-z0-9_-]+\.md)(?:[,:]? \(?\"([^\"]+)\")?")


def words(text: str) -> str:
    """Text with its line breaks, comment markers and runs of spaces made single spaces."""
    return " ".join(re.sub(r"\n\s*#", " ", text).split())


def test_every_cited_document_exists_with_the_section_cited():
    missing = []
    for path in (p for p in CODE if p.is_file()):
        for cited, section in CITED.findall(path.read_text(encoding="utf-8")):
            target = ROOT / cited
            if not target.exists() or (section and words(section) not in words(target.read_text(encoding="utf-8"))):
                missing.append(f"{path.relative_to(ROOT)}: {cited}" + (f', "{section}"' if section else ""))
    assert missing == []
