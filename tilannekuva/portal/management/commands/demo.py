"""`tilannekuva demo`: load the areas and the bundled strategies, and make a demo administrator."""

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tilannekuva.portal import demo


class Command(BaseCommand):
    help = "Load the demo: all of Finland's areas, the three bundled strategies and a demo administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo administrator.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo is never loaded in the production profile.")
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        if not options["no_admin"]:
            # Before the apps' demo parts, which act in the administrator's name; again after, for the roles in
            # the regions that the demo has just loaded.
            demo.ensure_demo_admin(password=password)
        for line in demo.load_demo(password=password):
            self.stdout.write(line)
        if not options["no_admin"]:
            username, password = demo.ensure_demo_admin(password=password)
            self.stdout.write(f"Demo administrator: {username} / {password}  (demo only)")
