"""Make the hub the default site's root, replacing Wagtail's welcome page.

Unknown hostnames fall back to the default site, so they land on the hub, never on a portal.
"""

from django.db import migrations

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _encode(number: int) -> str:
    digits = ""
    while number:
        number, rem = divmod(number, len(ALPHABET))
        digits = ALPHABET[rem] + digits
    return digits.rjust(STEPLEN, "0")


def create_hub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HubPage = apps.get_model("core", "HubPage")
    Locale = apps.get_model("wagtailcore", "Locale")

    hub_type, _ = ContentType.objects.get_or_create(app_label="core", model="hubpage")
    plain_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None or HubPage.objects.exists():
        return
    page = Page.objects.filter(depth=2, content_type=plain_type, slug="home").first()
    if page is None:
        children = Page.objects.filter(depth=2, path__startswith=root.path).order_by("-path")
        last = children.first()
        position = int(last.path[-STEPLEN:], 36) + 1 if last else 1
        locale = Locale.objects.order_by("pk").first()
        page = Page.objects.create(
            path=root.path + _encode(position), depth=2, numchild=0, title="Guildhall",
            draft_title="Guildhall", slug="guildhall-hub", content_type=hub_type, live=True,
            url_path="/guildhall-hub/", locale=locale,
        )
        Page.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    hub = HubPage(page_ptr_id=page.pk, intro="")
    hub.save_base(raw=True)
    Page.objects.filter(pk=page.pk).update(
        content_type=hub_type, title="Guildhall", draft_title="Guildhall",
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page_id=page.pk,
                            is_default_site=True, site_name="Guildhall")
    else:
        Site.objects.filter(pk=site.pk).update(root_page_id=page.pk, site_name="Guildhall")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_hub, migrations.RunPython.noop)]
