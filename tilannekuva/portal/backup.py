"""Backup and restore of one installation: the whole database and the uploaded files in one archive.

The archive is a gzip-compressed tar file:
  manifest.json   format, time, database vendor, the applied migrations, rows per model, files
  database.json   Django's `dumpdata` of every model (contenttypes and permissions by natural key)
  media/...       every file under MEDIA_ROOT

It works the same on SQLite and PostgreSQL (docs/DECISIONS.md, "Backups through dumpdata"): a backup taken
from one can be restored into the other. A restore replaces the whole database in one transaction: if any
row fails to load, nothing changes. For the national data bank (millions of observations) pg_dump is faster;
docs/OPERATIONS.md tells both.
"""

import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "tilannekuva-backup/1"
# Not backed up: rebuilt by `migrate` (contenttypes, permissions), or transient (sessions, sign-in throttling,
# background task results: a restored queue would run old work again).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "accounts.loginfailure", "django_tasks_database"]


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why. Nothing was changed."""


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(payload))


def make_backup(target: Path, *, stdout: Any = None) -> dict[str, Any]:
    """Write the archive to `target` (through a temporary file beside it, so a failure leaves no half file)."""
    target = target.resolve()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="tilannekuva-backup-") as work:
        dump = Path(work) / "database.json"
        # One transaction: every table is read from the same moment (REPEATABLE READ on PostgreSQL; inside a
        # caller's transaction, that transaction's own snapshot).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(dump), verbosity=0, indent=None)
            counts = _row_counts()
            migrations = applied_migrations()
        files = [path.relative_to(media_root).as_posix() for path in _media_files(media_root)]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "rows": counts,
            "media_files": files,
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
                archive.add(dump, arcname="database.json")
                for name in files:
                    archive.add(media_root / name, arcname=f"media/{name}", recursive=False)
            os.chmod(partial, 0o600)  # the archive holds every account's password hash and every answer
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    if stdout is not None:
        stdout.write(
            f"Backup written to {target}: {sum(counts.values())} rows in {len(counts)} tables, "
            f"{len(files)} uploaded files, {target.stat().st_size} bytes."
        )
    return manifest


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or _excluded(label):
            continue
        counts[label] = model._base_manager.count()
    return counts


def _excluded(label: str) -> bool:
    app_label = label.split(".")[0]
    return label in EXCLUDED or app_label in EXCLUDED


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        raise BackupError("the file is not a Tilannekuva backup: it has no manifest.json")
    if member is None:
        raise BackupError("the backup's manifest.json is not a file")
    try:
        manifest = json.loads(member.read())
    except ValueError as exc:
        raise BackupError(f"the backup's manifest.json is damaged ({exc})")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"the backup's format is not {FORMAT}")
    return manifest


def restore_backup(source: Path, *, stdout: Any = None) -> dict[str, Any]:
    """Replace the database and add the uploaded files from the archive. The database must be migrated to
    the same migrations as the backup (`tilannekuva migrate` first, with the same version of Tilannekuva)."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source}: not a readable backup archive ({exc})")
    with archive, tempfile.TemporaryDirectory(prefix="tilannekuva-restore-") as work:
        manifest = read_manifest(archive)
        missing = {tuple(m) for m in manifest["migrations"]} - {tuple(m) for m in applied_migrations()}
        if missing:
            shown = ", ".join(f"{app}.{name}" for app, name in sorted(missing)[:10])
            raise BackupError("the backup was made by a newer version: these migrations are not applied here: " + shown)
        media = _checked_media(archive)
        try:
            archive.extract("database.json", work, filter="data")
        except KeyError:
            raise BackupError("the backup has no database.json")
        with transaction.atomic():
            _flush()
            call_command("loaddata", str(Path(work) / "database.json"), verbosity=0)
            counts = _row_counts()
            wrong = {label: (n, counts.get(label)) for label, n in manifest["rows"].items() if counts.get(label) != n}
            if wrong:
                raise BackupError(f"the restored row counts differ from the backup's: {wrong}")
        _restore_media(archive, media, Path(work) / "media")
    if stdout is not None:
        stdout.write(
            f"Restored {source}: {sum(counts.values())} rows, {len(media)} uploaded files "
            f"(backup made {manifest['created_at']})."
        )
    return manifest


def _flush() -> None:
    """Empty every table. On PostgreSQL, rows changed earlier in the same transaction leave deferred foreign-key
    checks pending, which TRUNCATE refuses: they are run first, and deferred again for the load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _checked_media(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        if not member.name.startswith("media/"):
            continue
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"the backup holds an unsafe entry: {member.name}")
        if member.isfile():
            members.append(member)
    return members


def _restore_media(archive: tarfile.TarFile, members: list[tarfile.TarInfo], staging: Path) -> None:
    """Unpack the files first beside the database dump, then move them under MEDIA_ROOT."""
    archive.extractall(staging.parent, members=members, filter="data")
    media_root = Path(settings.MEDIA_ROOT)
    for member in members:
        relative = PurePosixPath(member.name).relative_to("media")
        destination = media_root.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging.joinpath(*relative.parts), destination)
