"""Every interface string is translated into Finnish and Swedish: no empty or fuzzy entry in the catalogues
(the project's own and each app's, for apps that keep their catalogue beside their code), and no text translated
two ways."""

import re
from collections import defaultdict
from pathlib import Path

import polib
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


def translations(language: str) -> dict[tuple[str | None, str, str | None], dict[str, str]]:
    """Each text (context, singular, plural) with its translation in every catalogue that has it."""
    found: dict[tuple[str | None, str, str | None], dict[str, str]] = defaultdict(dict)
    for path in catalogues(language):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                translated = entry.msgstr or " | ".join(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
                found[(entry.msgctxt, entry.msgid, entry.msgid_plural or None)][
                    str(path.relative_to(settings.BASE_DIR))
                ] = translated
    return found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_text_is_translated_two_ways(language):
    """Django merges the catalogues into one, silently: the project's `locale/` wins over the apps', and an app
    earlier in INSTALLED_APPS over a later one, so a text translated two ways shows one of them everywhere. The
    same meaning takes the same words; where one English text needs two translations, the code gives each its
    context (pgettext, `{% translate "…" context "…" %}`), and each catalogue its `msgctxt`."""
    twice = {
        f"{context + ' | ' if context else ''}{text!r}": places
        for (context, text, _plural), places in translations(language).items()
        if len(set(places.values())) > 1
    }
    assert twice == {}


def test_the_check_sees_a_text_translated_two_ways(tmp_path, settings):
    """The check above on two small catalogues of its own: one text two ways, one with a context each."""
    entries = {
        "locale": 'msgid "Open"\nmsgstr "Avoin"\n\nmsgctxt "survey status"\nmsgid "Open"\nmsgstr "Avoinna"\n',
        "tilannekuva/surveys/locale": 'msgid "Open"\nmsgstr "Avoinna"\n',
    }
    for folder, body in entries.items():
        path = tmp_path / folder / "fi" / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    settings.BASE_DIR = tmp_path
    found = translations("fi")
    assert found[(None, "Open", None)] == {
        "locale/fi/LC_MESSAGES/django.po": "Avoin",
        "tilannekuva/surveys/locale/fi/LC_MESSAGES/django.po": "Avoinna",
    }
    assert found[("survey status", "Open", None)] == {"locale/fi/LC_MESSAGES/django.po": "Avoinna"}


def test_each_app_shows_its_own_wording():
    """The case that started the check: a survey is "avoinna" (open for answers), a reporting period "avoin"."""
    from django.utils import translation

    from tilannekuva.followup.models import PeriodStatus
    from tilannekuva.grants.models import Application
    from tilannekuva.surveys.models import SurveyStatus

    with translation.override("fi"):
        assert (str(SurveyStatus.OPEN.label), str(PeriodStatus.OPEN.label)) == ("Avoinna", "Avoin")
        assert str(Application._meta.get_field("submitted_at").verbose_name) == "jätetty"
    with translation.override("sv"):
        assert str(SurveyStatus.OPEN.label) == "Öppen"
