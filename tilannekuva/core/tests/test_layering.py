"""No module is loaded by a computed name: every dependency between the apps is a plain import, which the layering
contract (`lint-imports`, pyproject.toml: an app imports only the apps below it) can see."""

import ast
from pathlib import Path

from django.conf import settings

PACKAGE = settings.BASE_DIR / "tilannekuva"
# The ways to import a module whose name is only known at run time.
DYNAMIC = {"import_module", "__import__", "import_string", "autodiscover_modules"}
# No file is excepted: the data bank's source registry is a plain mapping. An exception added here must name why.
EXCEPTED: set[str] = set()


def dynamic_imports(path: Path) -> list[str]:
    """`file:line name` of every call to, or import of, a dynamic importer in the file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            found += [(node.lineno, name)] if name in DYNAMIC else []
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in DYNAMIC]
    where = path.relative_to(settings.BASE_DIR).as_posix()
    return [f"{where}:{line} {name}" for line, name in sorted(found)]


def test_no_module_of_the_project_is_imported_by_a_computed_name():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if uses := dynamic_imports(path):
            found[path.relative_to(settings.BASE_DIR).as_posix()] = uses
    assert {name: uses for name, uses in found.items() if name not in EXCEPTED} == {}
    # An exception that no longer applies is removed, so that it cannot cover a new dynamic import.
    assert set(found) >= EXCEPTED, f"remove {sorted(EXCEPTED - set(found))} from EXCEPTED"


def test_the_check_sees_a_computed_import_however_it_is_written(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    module = tmp_path / "module.py"
    module.write_text(
        "import importlib\n"
        "from importlib import import_module as load\n"
        "importlib.import_module(f'tilannekuva.{name}.demo')\n"
        "__import__('tilannekuva.grants')\n"
        "from django.utils.module_loading import import_string\n"
    )
    assert dynamic_imports(module) == [
        "module.py:2 import_module",
        "module.py:3 import_module",
        "module.py:4 __import__",
        "module.py:5 import_string",
    ]


# Issue 14: a module that mixes concerns is split by concern; migrations and tests are not modules of that kind.
LONGEST = 500


def test_no_module_of_the_project_is_longer_than_500_lines():
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"migrations", "tests"} & set(path.relative_to(PACKAGE).parts):
            continue
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST:
            too_long[path.relative_to(settings.BASE_DIR).as_posix()] = lines
    assert too_long == {}, f"split these by concern: {too_long}"
