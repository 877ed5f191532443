"""What the public forms that make pages share (a member's listing or product): the page's
own rules checked before it is in the tree, and the categories offered."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import construct_instance
from wagtail.models import Site

from .models import Category


def leaf_categories(site: Site) -> QuerySet:
    """The active categories of ``site`` without subcategories, grouped by their parent."""
    return (
        Category.objects.for_site(site)
        .active()
        .filter(children__isnull=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name")
    )


class NewPageFormMixin:
    """For a ``ModelForm`` of a page not in the tree yet: ``Page.full_clean()`` (slug checks)
    cannot run, but the validators of the form's fields (amounts above zero...) and the
    page's own rules (:meth:`page_errors`) can, and must: saving the revision runs them and
    would fail with a 500."""

    def page_errors(self) -> dict[str, str]:
        """Rules across the page's fields, by field."""
        return {}

    def _post_clean(self) -> None:
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
            return
        try:
            self.instance.clean_fields(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)
        if errors := self.page_errors():
            self._update_errors(ValidationError(errors))
