"""The member area's imports and exports: uploading listings or catalogue products, their
templates, the validation report, and downloads of the member's own data."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.board import lifecycle
from portal.catalogue import lifecycle as catalogue
from portal.core.context import portal_for_request
from portal.core.models import PortalSettings
from portal.defences.limits import rate_limited
from portal.members.models import Membership
from portal.members.views import member_required
from portal.plans.quotas import QuotaExceeded

from . import products
from .columns import listing_columns, portal_choices
from .exports import DATASETS, template_sheets
from .forms import UploadForm
from .importing import import_listings
from .products import CheckedProducts
from .reading import Refused, Table, file_size, read_upload
from .spreadsheets import CSV, FORMATS, Sheet, download
from .validation import Checked, RowError, check_table

REPORT_KEY = "transfers.report"
REPORT_KEPT = 2000  # errors kept for the report's download
REPORT_SHOWN = 200  # errors shown on the page
REPORT_HEADINGS = ("row", "column", "message")


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", CSV)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    return fmt


@member_required
@rate_limited("import")
def transfers(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The import and export page; a POST uploads a listings file."""
    board = lifecycle.board_of(membership.site)
    portal = portal_for_request(request).settings
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    checked = _checked_upload(form, portal, membership) if posted and form.is_valid() else None
    if checked and not checked.errors:
        try:
            count = import_listings([page for _, page in checked.listings], board, membership)
        except QuotaExceeded as exceeded:  # nothing was imported
            form.add_error("file", str(exceeded))
        else:
            messages.success(
                request,
                f"{count} listing{'s' if count != 1 else ''} imported. They are with the "
                "moderators; we will email you as each goes live.",
            )
            request.session.pop(REPORT_KEY, None)
            return redirect("members:dashboard")
    if checked:
        _keep_report(request, checked)
    return render(
        request,
        "transfers/transfers.html",
        {
            "form": form,
            "checked": checked,
            "errors_shown": checked.errors[:REPORT_SHOWN] if checked else [],
            "columns": listing_columns(),
            "choices": portal_choices(portal),
            "datasets": list(DATASETS),
            "max_rows": settings.TRANSFERS_MAX_ROWS,
            "max_size": file_size(settings.TRANSFERS_MAX_BYTES),
        },
    )


def _checked_upload(
    form: UploadForm, portal: PortalSettings, membership: Membership
) -> Checked | None:
    """The uploaded file's rows checked, or None with the reason it is refused on ``form``."""
    table = uploaded_table(form, "listings")
    return check_table(table, portal, membership) if table is not None else None


def uploaded_table(form: UploadForm, noun: str) -> Table | None:
    """The rows of the file uploaded with ``form``, or None with the reason it is refused
    on the form (too big, unreadable, no ``noun`` in it)."""
    try:
        table = read_upload(
            form.cleaned_data["file"], settings.TRANSFERS_MAX_BYTES, settings.TRANSFERS_MAX_ROWS
        )
    except Refused as refused:
        form.add_error("file", str(refused))
        return None
    if not table.rows:
        form.add_error("file", f"The file has no {noun} in it.")
        return None
    return table


def _keep_report(request: HttpRequest, checked: Checked | CheckedProducts) -> None:
    request.session[REPORT_KEY] = [
        [error.row, error.column, error.message] for error in checked.errors[:REPORT_KEPT]
    ]


@member_required
def report(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The last upload's validation report, as CSV."""
    kept = request.session.get(REPORT_KEY)
    if not kept:
        raise Http404("No report: upload a file first.")
    errors = [RowError(*entry) for entry in kept]
    rows = [(e.row, e.column or "(whole row)", e.message) for e in errors]
    return download([Sheet("Report", REPORT_HEADINGS, rows)], CSV, "import-report")


@member_required
def template(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The template of a listings file: as CSV the listings columns (or, with
    ``?sheet=choices``, the portal's choices), as XLSX both sheets."""
    fmt = _format(request)
    sheets = template_sheets(portal_for_request(request).settings)
    if fmt == CSV and request.GET.get("sheet") == "choices":
        return download(sheets[1:], CSV, "listings-choices")
    return download(sheets, fmt, "listings-template")


@member_required
def export(request: HttpRequest, membership: Membership) -> HttpResponse:
    """One of the member's datasets (``?data=listings|inquiries|quotes``) as CSV or XLSX."""
    dataset = request.GET.get("data", "")
    if dataset not in DATASETS:
        raise Http404("No such data.")
    sheet = DATASETS[dataset](membership)
    return download([sheet], _format(request), f"{dataset}-{date.today().isoformat()}")


@member_required
@rate_limited("import")
def products_import(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Importing products into the member's catalogue, and its downloads; a POST uploads a
    products file: every row checked, then all imported into moderation, or none."""
    if not membership.company_id:
        raise Http404("Products belong to a company: your membership has none yet.")
    index = catalogue.catalogue_of(membership.site)
    portal = portal_for_request(request).settings
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    table = uploaded_table(form, "products") if posted and form.is_valid() else None
    checked = products.check_products(table, portal, membership) if table else None
    if checked and not checked.errors:
        pages = [page for _, page in checked.products]
        try:
            catalogue.submit_products(pages, index, membership)
        except QuotaExceeded as exceeded:
            form.add_error("file", str(exceeded))
        else:
            count = len(pages)
            messages.success(
                request,
                f"{count} product{'s' if count != 1 else ''} imported. They are with the "
                "moderators; each goes live once approved.",
            )
            request.session.pop(REPORT_KEY, None)
            return redirect("members:products")
    if checked and checked.errors:
        _keep_report(request, checked)
    return render(
        request,
        "transfers/products.html",
        {
            "form": form,
            "checked": checked,
            "errors_shown": checked.errors[:REPORT_SHOWN] if checked else [],
            "columns": products.product_columns(),
            "choices": products.product_choices(portal),
            "max_rows": settings.TRANSFERS_MAX_ROWS,
            "max_size": file_size(settings.TRANSFERS_MAX_BYTES),
        },
    )


@member_required
def products_template(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The template of a products file: as CSV the columns (or, with ``?sheet=choices``, the
    portal's choices), as XLSX both sheets."""
    fmt = _format(request)
    sheets = products.template_sheets(portal_for_request(request).settings)
    if fmt == CSV and request.GET.get("sheet") == "choices":
        return download(sheets[1:], CSV, "products-choices")
    return download(sheets, fmt, "products-template")


@member_required
def products_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The member's company's products as CSV or XLSX, in the columns of a products file."""
    fmt = _format(request)
    sheet = products.products_sheet(membership)
    return download([sheet], fmt, f"products-{date.today().isoformat()}")
