"""What a company's members keep about each message a buyer sends them (a board inquiry, an
enquiry about a franchise or an investment): where it stands, their private notes, and when it
was first answered, which the company's response rate is made of.

An abstract model here, below the board and the leads app, so that both kinds of message
share one set of fields and one way to change them."""

from datetime import datetime

from django.db import models
from django.utils import timezone


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    REPLIED = "replied", "Replied"
    WON = "won", "Won"
    LOST = "lost", "Lost"


ANSWERED = (LeadStatus.REPLIED, LeadStatus.WON)


class LeadState(models.Model):
    """A message's status and private notes, seen only by the company's members, and the
    time of its first reply (set once: by a reply sent through the portal, or the first time
    it is marked replied or won; "lost" alone is no reply)."""

    status = models.CharField(
        max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True
    )
    notes = models.TextField(blank=True, help_text="Private: only your company's members see it.")
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_status(self, status: str, when: datetime | None = None) -> bool:
        """Change the status; the first "replied" or "won" records the first reply. True when
        the first reply was recorded now (the response rate changed)."""
        self.status = status
        if status in ANSWERED and self.replied_at is None:
            self.replied_at = when or timezone.now()
            return True
        return False

    def record_reply(self, when: datetime | None = None) -> bool:
        """A reply was sent: a new message becomes "replied"; True if it is the first."""
        if self.status == LeadStatus.NEW:
            self.status = LeadStatus.REPLIED
        if self.replied_at is None:
            self.replied_at = when or timezone.now()
            return True
        return False
