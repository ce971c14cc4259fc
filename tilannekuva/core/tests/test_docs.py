"""Documentation is tested: every command and setting the product has is documented in the README."""

import re

from django.conf import settings
from django.core.management import get_commands

README = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
SETTINGS = (settings.BASE_DIR / "tilannekuva" / "settings.py").read_text(encoding="utf-8")


def test_every_tilannekuva_command_is_documented():
    ours = [name for name, app in get_commands().items() if app.startswith("tilannekuva")]
    assert ours, "no commands found"
    assert [name for name in ours if f"tilannekuva {name}" not in README] == []


def test_every_environment_variable_is_documented():
    variables = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', SETTINGS)) | set(
        re.findall(r'env_bool\("([A-Z_]+)"', SETTINGS)
    )
    variables |= {"DEMO_ADMIN_PASSWORD"}
    assert sorted(v for v in variables if f"`{v}`" not in README) == []


def test_readme_has_exactly_the_two_setup_commands():
    assert "make demo" in README and "make test" in README
