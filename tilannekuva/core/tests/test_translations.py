"""Every interface string is translated into Finnish and Swedish: no empty or fuzzy entry in the catalogues
(the project's own and each app's, for apps that keep their catalogue beside their code)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ENTRY_WITHOUT_TRANSLATION = re.compile(r'^msgstr(\[\d\])? ""\n(?!")', re.MULTILINE)


def catalogues(language: str) -> list[Path]:
    found = [settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"]
    found += sorted((settings.BASE_DIR / "tilannekuva").glob(f"*/locale/{language}/LC_MESSAGES/django.po"))
    return found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    for path in catalogues(language):
        text = path.read_text(encoding="utf-8")
        entries = text.split("\n\n")[1:]  # the first is the header
        untranslated = [e for e in entries if ENTRY_WITHOUT_TRANSLATION.search(e + "\n")]
        fuzzy = [e for e in entries if "#, fuzzy" in e]
        assert (path, untranslated, fuzzy) == (path, [], [])
