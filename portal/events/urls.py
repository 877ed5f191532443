from django.urls import path

from . import views

urlpatterns = [
    path("<slug:section>/calendar.ics", views.section_ics, name="events_calendar"),
    path("<slug:section>/<slug:event>.ics", views.event_ics, name="event_ics"),
]
