"""`tilannekuva import SOURCE ...`: one command for every source in the registry, now or in the background."""

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.databank import jobs, services
from tilannekuva.databank.sources import available

from .import_jobs import follow


class Command(BaseCommand):
    help = (
        "Import indicators and observations from an outside source or a file, as one recorded import run. "
        "With --background the import is queued for the worker (`tilannekuva worker`) instead."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Keep the arguments as given: a background job stores them and the worker reads them the same way."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        original = parser.parse_args

        def parse_args(args: Any = None, namespace: Any = None) -> Any:
            self.raw_arguments = [str(a) for a in (sys.argv[2:] if args is None else args)]
            return original(args, namespace)

        parser.parse_args = parse_args  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import for the worker (`tilannekuva worker`) and return; see `tilannekuva import_jobs`",
        )
        parser.add_argument(
            "--follow", action="store_true", help="with --background: show the progress until the import ends"
        )
        sub = parser.add_subparsers(dest="source", required=True)
        for name, source in available().items():
            source.add_arguments(sub.add_parser(name, help=source.help))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            self.queue(options)
            return
        source = available()[options["source"]]
        try:
            run = source.run(options, stdout=self.stdout)
        except services.ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(services.run_summary(run))

    def queue(self, options: dict[str, Any]) -> None:
        source = options["source"]
        raw = list(getattr(self, "raw_arguments", []))
        arguments = raw[raw.index(source) + 1 :] if source in raw else []
        try:
            job = jobs.enqueue(source=source, arguments=[absolute(a) for a in arguments])
        except jobs.JobError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Queued as background import {job.pk}: {job.command_line}. "
            f"The worker (`tilannekuva worker`) runs it; follow it with `tilannekuva import_jobs {job.pk} --follow`."
        )
        if options["follow"]:
            follow(job.pk, stdout=self.stdout)


def absolute(argument: str) -> str:
    """A relative path given on the command line, made absolute: the worker runs in a directory of its own."""
    if argument.startswith("-") or os.path.isabs(argument) or not os.path.exists(argument):
        return argument
    return str(Path(argument).resolve())
