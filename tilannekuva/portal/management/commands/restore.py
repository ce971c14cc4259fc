"""`tilannekuva restore FILE`: replace the database with a backup's and put back its uploaded files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with the one in a backup archive (one transaction: all or nothing) and "
        "write its uploaded files under MEDIA_ROOT. Run `tilannekuva migrate` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an archive written by `tilannekuva backup`")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (the current data is replaced)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        if not options["yes"]:
            answer = input("Every row of the current database will be replaced by the backup's. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore_backup(source, stdout=self.stdout)
        except (BackupError, OSError) as exc:
            raise CommandError(f"The restore failed and the database was not changed: {exc}") from exc
