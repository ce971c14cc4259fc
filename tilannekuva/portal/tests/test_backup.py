"""`tilannekuva backup` and `restore`: a round trip gives back every row and every uploaded file."""

import json
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from tilannekuva.databank.models import Indicator, Observation
from tilannekuva.databank.services import source
from tilannekuva.regions.models import Area, RegionRole


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A restore flushes, and the flush's post_migrate makes the content types anew under new ids, which this
    process caches; the test's transaction is then rolled back to the old ids. Without emptying the cache, a later
    test in the process would name a goal by another model's content type (the audit trail did)."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "followup" / "2025").mkdir(parents=True)
    (settings.MEDIA_ROOT / "followup" / "2025" / "pöytäkirja.pdf").write_bytes(b"%PDF-1.7 evidence")
    return settings.MEDIA_ROOT


def test_backup_and_restore_give_back_every_row_and_file(users, media, tmp_path):
    indicator = Indicator.objects.create(source=source("file"), external_id="synthetic-backup", title_fi="SYNTEETTINEN")
    area = Area.objects.get(kind="municipality", code="491")
    Observation.objects.create(indicator=indicator, area=area, year=2024, value=1.5)
    before = {
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "roles": RegionRole.objects.count(),
        "areas": Area.objects.count(),
        "observations": list(Observation.objects.values_list("indicator__external_id", "area__code", "value")),
    }
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert {"manifest.json", "database.json", "media/followup/2025/pöytäkirja.pdf"} <= set(names)
    assert manifest["rows"]["databank.observation"] == 1
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)

    # Lose everything: rows changed and removed, the uploaded file gone.
    Observation.objects.all().delete()
    RegionRole.objects.filter(user=users["alice"]).delete()
    users["carol"].set_password("changed-password-1")
    users["carol"].save()
    (media / "followup" / "2025" / "pöytäkirja.pdf").unlink()

    call_command("restore", str(archive), yes=True, verbosity=0)
    after = {
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "roles": RegionRole.objects.count(),
        "areas": Area.objects.count(),
        "observations": list(Observation.objects.values_list("indicator__external_id", "area__code", "value")),
    }
    assert after == before
    assert (media / "followup" / "2025" / "pöytäkirja.pdf").read_bytes() == b"%PDF-1.7 evidence"
    # The sequences go on after the restored ids.
    Observation.objects.create(indicator=indicator, area=area, year=2025, value=2.0)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(users, tmp_path):
    wrong = tmp_path / "wrong.tar.gz"
    wrong.write_bytes(b"not a tar file")
    count = get_user_model().objects.count()
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(wrong), yes=True)
    with tarfile.open(wrong, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("hello.txt"))
    with pytest.raises(CommandError, match="no manifest.json"):
        call_command("restore", str(wrong), yes=True)
    assert get_user_model().objects.count() == count


def test_restore_refuses_an_archive_with_paths_outside_the_media_directory(users, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as source_archive, tarfile.open(evil, "w:gz") as target:
        for member in source_archive.getmembers():
            target.addfile(member, source_archive.extractfile(member))
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 0
        target.addfile(info)
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(evil), yes=True)
    assert not (tmp_path / "escaped.txt").exists()
