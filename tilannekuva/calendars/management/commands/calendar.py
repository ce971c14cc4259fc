"""`tilannekuva calendar remind`: e-mail the coming dates of the annual calendar."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tilannekuva.calendars.services import send_reminders
from tilannekuva.regions.models import Region


class Command(BaseCommand):
    help = "The annual calendar: e-mail reminders of its coming dates (run daily, e.g. from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        remind = sub.add_parser(
            "remind", help="E-mail the administrators (and a group's coordinators) of each date near."
        )
        remind.add_argument("--days", type=int, default=14, help="remind this many days ahead (default 14)")
        remind.add_argument("--region", help="only this region (its slug, e.g. etela-savo)")

    def handle(self, *args: Any, **options: Any) -> None:
        regions = Region.objects.filter(strategy__isnull=False).order_by("slug")
        if options["region"]:
            regions = regions.filter(slug=options["region"])
        today = timezone.localdate()
        for region in regions:
            sent = send_reminders(region=region, today=today, days_before=options["days"])
            self.stdout.write(f"{region}: {sent} calendar reminders sent.")
