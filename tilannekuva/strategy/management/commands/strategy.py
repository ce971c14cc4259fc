"""`tilannekuva strategy import FILE...`, `tilannekuva strategy export REGION [--year Y]`, `... validate FILE`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.strategy import files, yaml_export, yaml_import


class Command(BaseCommand):
    help = "Import, validate or export strategy YAML files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="Import strategy files; each in one transaction.")
        importer.add_argument("files", nargs="+", type=Path)
        validator = sub.add_parser("validate", help="Check strategy files without changing anything.")
        validator.add_argument("files", nargs="+", type=Path)
        exporter = sub.add_parser("export", help="Print a region's strategy as YAML.")
        exporter.add_argument("region")
        exporter.add_argument(
            "--year", type=int, help="The version of that year, a draft too (default: the version in force this year)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            try:
                self.stdout.write(yaml_export.export_text(options["region"], year=options["year"]), ending="")
            except yaml_export.NoVersion as exc:
                raise CommandError(str(exc)) from exc
            return
        for path in options["files"]:
            try:
                if action == "validate":
                    yaml_import.validate(files.read(path))
                    self.stdout.write(f"{path}: valid")
                else:
                    self.stdout.write(f"{path}: {yaml_import.import_file(path)}")
            except files.StrategyFileError as exc:
                raise CommandError(f"{path} was refused; nothing was changed:\n" + "\n".join(exc.errors)) from exc
