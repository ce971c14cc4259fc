"""`tilannekuva import SOURCE ...`: one command for every source in the registry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.databank import services
from tilannekuva.databank.sources import available


class Command(BaseCommand):
    help = "Import indicators and observations from an outside source or a file, as one recorded import run."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="source", required=True)
        for name, module in available().items():
            module.add_arguments(sub.add_parser(name, help=module.help))

    def handle(self, *args: Any, **options: Any) -> None:
        module = available()[options["source"]]
        try:
            run = module.run(options, stdout=self.stdout)
        except services.ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(services.run_summary(run))
