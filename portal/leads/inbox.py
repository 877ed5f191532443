"""A member's inbox: the board inquiries about their company's listings and the enquiries
about its franchises and investments, as one list of leads, only ever of their own company on
their own portal."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from portal.board.models import Inquiry
from portal.mail import absolute
from portal.members.leads import LeadState, LeadStatus
from portal.members.models import Membership
from themes.environment import money

from .models import Enquiry

INQUIRY, ENQUIRY = "inquiry", "enquiry"
KINDS = (INQUIRY, ENQUIRY)


@dataclass
class Lead:
    """One inquiry or enquiry, as the inbox and its export show it."""

    kind: str
    row: LeadState

    @property
    def pk(self) -> int:
        return self.row.pk

    @property
    def created_at(self) -> datetime:
        return self.row.created_at

    @property
    def page(self):
        return self.row.listing if self.kind == INQUIRY else self.row.page

    @property
    def about(self) -> str:
        return self.page.title

    @property
    def source(self) -> str:
        """What it is about: "Board listing", "Franchise", "Investment"."""
        if self.kind == INQUIRY:
            return "Board listing"
        return self.page.specific_class._meta.verbose_name.split()[0].capitalize()

    @property
    def sender_company(self) -> str:
        return self.row.company if self.kind == INQUIRY else self.row.company_name

    @property
    def details(self) -> str:
        """The figures the sender gave: a quantity, or capital, timeline and territory."""
        row = self.row
        if self.kind == INQUIRY:
            return f"Quantity: {money(row.quantity)}" if row.quantity is not None else ""
        parts = []
        if row.amount is not None:
            parts.append(f"Capital: {money(row.amount, row.currency)}")
        if row.timeline:
            parts.append(f"Timeline: {row.get_timeline_display()}")
        if row.territory_id:
            parts.append(f"Territory: {row.territory.name}")
        return " · ".join(parts)

    def url(self) -> str:
        """Its page in the member area."""
        return reverse(f"members:{self.kind}", args=[self.pk])

    def reply_url(self) -> str:
        return reverse(f"members:{self.kind}_reply", args=[self.pk])

    def page_url(self) -> str:
        return absolute(self.row.site, self.page.url or "/")


def inquiries_of(membership: Membership) -> QuerySet:
    """Board inquiries about the member's listings (their company's) on their portal."""
    return Inquiry.objects.filter(site=membership.site).filter(membership.owns("listing__"))


def enquiries_of(membership: Membership) -> QuerySet:
    """Enquiries sent to the member's company on their portal (none without a company)."""
    if membership.company_id is None:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(site=membership.site, company_id=membership.company_id)


def leads_of(membership: Membership, status: str = "") -> list[Lead]:
    """The member's leads, newest first, of one ``status`` if given (a known one)."""
    inquiries = inquiries_of(membership).select_related("listing", "site")
    enquiries = enquiries_of(membership).select_related("page", "site", "territory")
    if status in LeadStatus.values:
        inquiries, enquiries = inquiries.filter(status=status), enquiries.filter(status=status)
    leads = [Lead(INQUIRY, row) for row in inquiries] + [Lead(ENQUIRY, row) for row in enquiries]
    return sorted(leads, key=lambda lead: (lead.created_at, lead.kind, lead.pk), reverse=True)


def lead_of(membership: Membership, kind: str, pk: int) -> Lead:
    """The member's inquiry or enquiry ``pk``; 404 for another company's or portal's."""
    rows = {INQUIRY: inquiries_of, ENQUIRY: enquiries_of}.get(kind)
    if rows is None:
        raise Http404("No such inquiry.")
    row = rows(membership).filter(pk=pk).first()
    if row is None:
        raise Http404("No such inquiry.")
    return Lead(kind, row)
