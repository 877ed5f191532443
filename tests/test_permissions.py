"""An editor of one portal can neither see nor edit another portal's pages or images."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.images.models import Image

from portal.board.models import SellOfferPage
from portal.core.models import Category, PortalSettings
from portal.core.models.page_form import _media_in
from portal.directory.models import CompanyPage
from portal.news.models import NewsArticlePage

pytestmark = pytest.mark.django_db
ADMIN_HOST = "localhost:8000"


@pytest.fixture
def steel_editor(steel, site_of):
    user = get_user_model().objects.create_user("steel-ed", "ed@example.org", "pw")
    user.groups.add(PortalSettings.for_site(site_of(steel)).editors_group)
    return user


def get(client, url):
    return client.get(url, HTTP_HOST=ADMIN_HOST)


def test_editor_works_on_own_portal(client, steel_editor, steel):
    client.force_login(steel_editor)
    offer = SellOfferPage.objects.descendant_of(steel).first()
    assert get(client, f"/admin/pages/{steel.pk}/").status_code == 200
    assert get(client, f"/admin/pages/{offer.pk}/edit/").status_code == 200


def test_editor_cannot_see_or_edit_another_portal(client, steel_editor, textiles):
    client.force_login(steel_editor)
    offer = SellOfferPage.objects.descendant_of(textiles).first()
    edit = get(client, f"/admin/pages/{offer.pk}/edit/")
    assert edit.status_code in (302, 403)
    explore = get(client, f"/admin/pages/{textiles.pk}/")
    assert explore.status_code in (302, 403, 404)
    post = client.post(
        f"/admin/pages/{offer.pk}/edit/", {"title": "Hijacked"}, HTTP_HOST=ADMIN_HOST
    )
    assert post.status_code in (302, 403)
    offer.refresh_from_db()
    assert offer.title != "Hijacked"
    search = get(client, f"/admin/pages/search/?q={offer.title.split()[0]}")
    assert offer.title not in search.content.decode()


def test_editor_sees_only_own_portal_images(client, steel_editor, steel, textiles, site_of):
    client.force_login(steel_editor)
    own = Image.objects.get(
        collection=PortalSettings.for_site(site_of(steel)).collection, title__endswith="logo"
    )
    foreign = Image.objects.get(
        collection=PortalSettings.for_site(site_of(textiles)).collection, title__endswith="logo"
    )
    listing = get(client, "/admin/images/").content.decode()
    assert f"/admin/images/{own.pk}/" in listing
    assert f"/admin/images/{foreign.pk}/" not in listing
    assert get(client, f"/admin/images/{own.pk}/").status_code == 200
    assert get(client, f"/admin/images/{foreign.pk}/").status_code in (302, 403)


def test_editor_sees_only_own_portal_documents(client, steel_editor, steel, textiles, site_of):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    docs = {}
    for home in (steel, textiles):
        collection = PortalSettings.for_site(site_of(home)).collection
        docs[home.pk] = Document.objects.create(
            title=f"{home.industry_slug} price list",
            collection=collection,
            file=ContentFile(b"prices", name=f"{home.industry_slug}.txt"),
        )
    client.force_login(steel_editor)
    listing = get(client, "/admin/documents/").content.decode()
    assert "steel price list" in listing and "textiles price list" not in listing
    assert get(client, f"/admin/documents/edit/{docs[textiles.pk].pk}/").status_code in (302, 403)


def test_editors_cannot_publish_moderators_can(steel, site_of):
    settings = PortalSettings.for_site(site_of(steel))
    offer = SellOfferPage.objects.descendant_of(steel).first()
    editor = get_user_model().objects.create_user("e2")
    editor.groups.add(settings.editors_group)
    moderator = get_user_model().objects.create_user("m2")
    moderator.groups.add(settings.moderators_group)
    assert offer.permissions_for_user(editor).can_edit()
    assert not offer.permissions_for_user(editor).can_publish()
    assert offer.permissions_for_user(moderator).can_publish()


def test_admin_form_offers_only_this_portals_taxonomy(client, admin_user, steel, site_of):
    client.force_login(admin_user)
    board = steel.get_children().get(slug="board")
    html = get(client, f"/admin/pages/add/board/sellofferpage/{board.pk}/").content.decode()
    site = site_of(steel)
    own = Category.objects.filter(site=site, parent__isnull=False).first()
    foreign = (
        Category.objects.exclude(site=site)
        .exclude(name__in=Category.objects.filter(site=site).values("name"))
        .first()
    )
    assert f'value="{own.pk}"' in html
    assert f'value="{foreign.pk}"' not in html
    assert '<option value="coil">' in html  # a steel unit from the industry file


def edit_form(page, user, **changes):
    """The admin edit form of ``page`` as ``user`` would submit it, with ``changes``."""
    page = page.specific
    form_class = type(page).get_edit_handler().get_form_class()
    parent = page.get_parent()
    unbound = form_class(instance=page, for_user=user, parent_page=parent)
    data = {}
    for bound in unbound:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)
    for formset in unbound.formsets.values():
        for bound in formset.management_form:
            data[bound.html_name] = str(bound.value())
    data.update(changes)
    return form_class(data, instance=page, for_user=user, parent_page=parent)


def test_listing_in_a_retired_category_can_still_be_edited(steel, site_of, admin_user):
    offer = SellOfferPage.objects.descendant_of(steel).first()
    assert edit_form(offer, admin_user).is_valid()
    Category.objects.filter(pk=offer.category_id).update(is_active=False)
    form = edit_form(offer, admin_user, title="Still editable")
    assert form.is_valid(), form.errors
    new = edit_form(
        SellOfferPage.objects.descendant_of(steel).exclude(category_id=offer.category_id).first(),
        admin_user,
        category=str(offer.category_id),
    )
    assert "category" in new.errors  # a retired category is not offered for other pages


def test_another_portals_image_or_company_is_refused(steel, textiles, site_of, admin_user):
    offer = SellOfferPage.objects.descendant_of(steel).first()
    foreign_company = CompanyPage.objects.descendant_of(textiles).first()
    form = edit_form(offer, admin_user, company=str(foreign_company.pk))
    assert not form.is_valid() and "company" in form.errors
    article = NewsArticlePage.objects.descendant_of(steel).first()
    foreign_image = Image.objects.get(
        collection=PortalSettings.for_site(site_of(textiles)).collection, title__endswith="logo"
    )
    form_class = NewsArticlePage.get_edit_handler().get_form_class()
    form = form_class(instance=article, for_user=admin_user, parent_page=article.get_parent())
    assert foreign_image not in form.fields["image"].queryset
    own = PortalSettings.for_site(site_of(steel)).logo
    assert own in form.fields["image"].queryset


def test_images_inside_stream_fields_are_found():
    image = Image.objects.first()
    body = NewsArticlePage.body.field.stream_block.to_python(
        [
            {"type": "heading", "value": "Title"},
            {"type": "image", "value": {"image": image.pk, "alt_text": "x", "decorative": False}},
        ]
    )
    assert [found.pk for found in _media_in(body)] == [image.pk]


def test_page_chooser_shows_only_own_portal(client, steel_editor, steel, textiles):
    client.force_login(steel_editor)
    foreign = CompanyPage.objects.descendant_of(textiles).first()
    own = CompanyPage.objects.descendant_of(steel).first()
    foreign_dir = foreign.get_parent()
    browse = get(client, f"/admin/choose-page/{foreign_dir.pk}/?page_type=directory.companypage")
    assert foreign.title not in browse.content.decode()
    root = get(client, "/admin/choose-page/").content.decode()
    assert steel.title.split()[0] in root and textiles.title.split()[0] not in root
    for page in (foreign, own):
        word = page.title.split()[0]
        html = get(client, f"/admin/choose-page/search/?q={word}").content.decode()
        assert (page.title in html) == (page is own)


def test_moderators_cannot_delete_or_unpublish_the_portal(steel, site_of):
    settings = PortalSettings.for_site(site_of(steel))
    moderator = get_user_model().objects.create_user("m3")
    moderator.groups.add(settings.moderators_group)
    board = steel.get_children().get(slug="board")
    offer = SellOfferPage.objects.child_of(board).first()
    assert not steel.permissions_for_user(moderator).can_unpublish()
    assert not steel.permissions_for_user(moderator).can_delete()
    assert not board.permissions_for_user(moderator).can_delete()
    assert offer.permissions_for_user(moderator).can_delete()
    assert offer.permissions_for_user(moderator).can_unpublish()
