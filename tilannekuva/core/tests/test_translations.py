"""Every interface string is translated into Finnish and Swedish: no empty or fuzzy entry in the catalogues."""

import re

import pytest
from django.conf import settings

ENTRY_WITHOUT_TRANSLATION = re.compile(r'^msgstr(\[\d\])? ""\n(?!")', re.MULTILINE)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    text = (settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first is the header
    untranslated = [e for e in entries if ENTRY_WITHOUT_TRANSLATION.search(e + "\n")]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []
