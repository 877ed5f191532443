"""The leads pages of the member area, served under /members/ (see portal/urls.py): one inbox
of board inquiries and enquiries, and a page for each of either kind."""

from django.urls import path

from . import member_views
from .inbox import ENQUIRY, INQUIRY

urlpatterns = [
    path("inquiries/", member_views.inbox, name="inquiries"),
    path("inquiries/export.csv", member_views.export, name="inquiries_export"),
    path("inquiries/<id:pk>/", member_views.lead, {"kind": INQUIRY}, name=INQUIRY),
    path("inquiries/<id:pk>/reply/", member_views.reply, {"kind": INQUIRY}, name="inquiry_reply"),
    path("enquiries/<id:pk>/", member_views.lead, {"kind": ENQUIRY}, name=ENQUIRY),
    path("enquiries/<id:pk>/reply/", member_views.reply, {"kind": ENQUIRY}, name="enquiry_reply"),
]
