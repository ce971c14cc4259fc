"""`tilannekuva regions load` and `tilannekuva regions members REGION --year Y`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.regions import selectors, services


class Command(BaseCommand):
    help = "Load Finland's areas from the bundled Statistics Finland keys, or list a region's municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Create or update all areas, memberships and Sotkanet ids (idempotent).")
        members = sub.add_parser("members", help="The municipalities of a region or area in a year.")
        members.add_argument("region", help="A region (etela-savo), an area slug (mikkeli) or kind:code (maakunta:10).")
        members.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            try:
                report = services.load_areas()
            except services.AreaDataError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(str(report))
            return
        try:
            area = selectors.area_for(options["region"])
        except selectors.UnknownArea as exc:
            raise CommandError(str(exc)) from exc
        municipalities = list(selectors.members_of(area, year=options["year"]))
        self.stdout.write(f"{area.name_fi} {options['year']}: {len(municipalities)} municipalities")
        for municipality in municipalities:
            self.stdout.write(f"{municipality.code}\t{municipality.name_fi}")
