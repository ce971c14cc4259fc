"""`tilannekuva funding import|parameters`: import official HYTE tables; check and list the parameter files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.funding import parameters
from tilannekuva.funding.files import FigureFileError
from tilannekuva.funding.models import FigureKind, Level
from tilannekuva.funding.services import import_figures


class Command(BaseCommand):
    help = "HYTE coefficient: import THL's or VM's official tables (CSV or XLSX); check the parameter files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        one = sub.add_parser("import", help="Import an official table; each file in one transaction, idempotent.")
        one.add_argument("paths", nargs="+", type=Path, help="CSV or XLSX files (columns in docs/FUNDING.md)")
        one.add_argument(
            "--kind", required=True, choices=FigureKind.values, help="thl: indicator values and points; vm: euros"
        )
        one.add_argument("--level", default=Level.MUNICIPALITY, choices=Level.values)
        one.add_argument(
            "--synthetic",
            action="store_true",
            default=None,
            help="store as synthetic demo figures (automatic when the file name contains SYNTHETIC)",
        )
        sub.add_parser("parameters", help="Check every parameter file in data/funding/ and list what it covers.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "parameters":
            self._parameters()
            return
        for path in options["paths"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                result = import_figures(
                    path=path, kind=options["kind"], level=options["level"], synthetic=options["synthetic"]
                )
            except FigureFileError as exc:
                raise CommandError(f"{path}: nothing was imported:\n{exc}") from exc
            self.stdout.write(f"{path.name}:\n{result}")

    def _parameters(self) -> None:
        try:
            found = parameters.all_hyte()
            vitality = parameters.vitality()
        except parameters.ParameterError as exc:
            raise CommandError(str(exc)) from exc
        for (level, year), p in sorted(found.items()):
            price = f"{p.base_price} €/asukas" if p.base_price is not None else "unknown"
            cite = p.method["base_price"].cite if "base_price" in p.method else ""
            process, outcome = p.part("process"), p.part("outcome")
            self.stdout.write(
                f"{p.file_name}: {level} {year}: {len(p.indicators)} indicators "
                f"({len(process)} process, {len(outcome)} outcome), base price {price}" + (f" ({cite})" if cite else "")
            )
            for indicator in p.indicators:
                sotkanet = f", Sotkanet {indicator.sotkanet_id}" if indicator.sotkanet_id else ""
                self.stdout.write(
                    f"  {indicator.id:<4} {indicator.part:<7} {indicator.weight:<6g} {indicator.name} "
                    f"[{indicator.cite}{sotkanet}]"
                )
            unverified = p.unverified
            self.stdout.write(f"  {len(unverified)} items unverified" + (":" if unverified else ""))
            by_reason: dict[str, list[str]] = {}
            for item, reason in unverified:
                by_reason.setdefault(reason, []).append(item)
            for reason, items in by_reason.items():
                self.stdout.write(f"    {len(items)} × {', '.join(items)}: {reason}")
        self.stdout.write(
            f"vitality.yaml: {len(vitality.dimensions)} dimensions, sets {', '.join(vitality.sets)}, "
            f"reference {vitality.default_reference}"
        )
