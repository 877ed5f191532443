"""What a member does with a lead: set its status and notes, or reply through the portal.
A first reply changes the company's response figures, so the portal's pages are noted as
changed (the page cache purges the company page if its rounded figures moved)."""

from portal.core import changes
from portal.mail import send_templated
from portal.members.models import Membership

from .inbox import Lead


def update(lead: Lead, status: str, notes: str) -> None:
    """Save a member's status and private notes for ``lead``."""
    row = lead.row
    first_reply = row.set_status(status)
    row.notes = notes
    row.save(update_fields=["status", "notes", "replied_at"])
    if first_reply:
        changes.note(row.site_id)


def reply(lead: Lead, membership: Membership, message: str) -> bool:
    """Email ``message`` to the sender from the portal, with the member's address as
    Reply-To; the first one counts as the first reply. False if it could not be sent."""
    row = lead.row
    sender = membership.user
    context = {
        "lead": lead,
        "message": message,
        "member_name": sender.get_full_name() or sender.email,
        "company": membership.company,
        "page_url": lead.page_url(),
    }
    if not send_templated("lead_reply", [row.email], context, row.site, reply_to=sender.email):
        return False
    if row.record_reply():
        changes.note(row.site_id)
    row.save(update_fields=["status", "replied_at"])
    return True
