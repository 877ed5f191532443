"""Each company verified the old way (one date, one verifier, a free-text scope) becomes a
company-registration check, so the badge, its history and the filter read the checks only.
The old fields stay on the page as the summary of the current registration check."""

from datetime import timedelta

from django.db import migrations

DEFAULT_VALIDITY = timedelta(days=365)  # the old badges without an expiry date


def to_checks(apps, schema_editor) -> None:
    CompanyPage = apps.get_model("directory", "CompanyPage")
    VerificationCheck = apps.get_model("directory", "VerificationCheck")
    Site = apps.get_model("wagtailcore", "Site")
    roots = [(site.root_page.path, site.pk) for site in Site.objects.select_related("root_page")]
    old = CompanyPage.objects.filter(verified_on__isnull=False).exclude(
        pk__in=VerificationCheck.objects.values("company_id")
    )
    checks = []
    for company in old.iterator():
        site_id = next((pk for path, pk in roots if company.path.startswith(path)), None)
        if site_id is None:  # a company outside every portal: nobody shows it
            continue
        expires = company.verification_expires or company.verified_on + DEFAULT_VALIDITY
        checks.append(
            VerificationCheck(
                company_id=company.pk,
                site_id=site_id,
                scope="registration",
                checked_by=company.verified_by or "the association",
                checked_on=company.verified_on,
                expires_on=expires,
                note=f"Recorded before checks were itemised; scope: {company.verification_scope}"
                if company.verification_scope
                else "Recorded before checks were itemised.",
            )
        )
        if company.verification_expires is None:
            CompanyPage.objects.filter(pk=company.pk).update(verification_expires=expires)
    VerificationCheck.objects.bulk_create(checks, batch_size=500)


def back(apps, schema_editor) -> None:
    """Going back keeps the summary on the pages; the checks go with their table."""


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_verification_checks"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(to_checks, back)]
