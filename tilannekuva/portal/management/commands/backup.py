"""`tilannekuva backup FILE`: the database and the uploaded files in one archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.portal.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Write the whole database and every uploaded file into one archive (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write, e.g. tilannekuva-2026-12-02.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent}: no such directory")
        try:
            make_backup(target, stdout=self.stdout)
        except (BackupError, OSError) as exc:
            raise CommandError(f"The backup failed: {exc}") from exc
