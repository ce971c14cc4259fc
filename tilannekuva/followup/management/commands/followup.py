"""`tilannekuva followup remind`: e-mail the editors and coordinators of open tasks as the deadline nears."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tilannekuva.followup.models import PeriodStatus, ReportingPeriod
from tilannekuva.followup.services import send_reminders


class Command(BaseCommand):
    help = "Follow-up tasks: send reminders of open tasks before the deadline (run daily, e.g. from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        remind = sub.add_parser("remind", help="E-mail everyone with open or returned tasks near the deadline.")
        remind.add_argument(
            "--days", type=int, default=14, help="start reminding this many days before the deadline (default 14)"
        )
        remind.add_argument("--region", help="only this region (its slug, e.g. etela-savo)")

    def handle(self, *args: Any, **options: Any) -> None:
        periods = ReportingPeriod.objects.filter(status=PeriodStatus.OPEN).select_related("region")
        if options["region"]:
            periods = periods.filter(region__slug=options["region"])
        today = timezone.localdate()
        for period in periods:
            sent = send_reminders(period=period, today=today, days_before=options["days"])
            self.stdout.write(f"{period}: {sent} reminders sent (deadline {period.deadline:%d.%m.%Y}).")
