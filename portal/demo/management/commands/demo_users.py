"""``manage.py demo_users``: a demo superuser, an editor and a moderator per portal, and
member accounts with market activity in every state (see fixtures/market.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from portal.core.models import PortalHomePage, PortalSettings
from portal.core.sections import section_types


class Command(BaseCommand):
    help = "Create (or reset) demo accounts and print their credentials. Never use in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default="guildhall-demo", help="password for every demo account"
        )

    def handle(self, *args, **options) -> None:
        password = options["password"]
        User = get_user_model()
        rows = [("admin", "superuser, every portal")]
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        members = []
        for home in PortalHomePage.objects.order_by("industry_slug"):
            settings = PortalSettings.for_site(home.get_site())
            for role, group in (
                ("editor", settings.editors_group),
                ("moderator", settings.moderators_group),
            ):
                if group is None:
                    continue
                username = f"{home.industry_slug}-{role}"
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.org"}
                )
                user.set_password(password)
                user.save()
                user.groups.set([group])
                rows.append((username, f"{role} of {home.title} only"))
            for entry in section_types():
                if entry.demo_activity is not None:
                    members += [(home, *member) for member in entry.demo_activity(home, password)]
        width = max(len(name) for name, _ in rows)
        self.stdout.write(f"Demo accounts (password: {password}) — sign in at /admin/")
        for name, role in rows:
            self.stdout.write(f"  {name.ljust(width)}  {role}")
        if members:
            self.stdout.write("Demo members — sign in on their portal at /accounts/login/")
            width = max(len(email) for _, email, _ in members)
            for home, email, what in members:
                self.stdout.write(f"  {email.ljust(width)}  {what} ({home.title})")
