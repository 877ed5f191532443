from django.urls import path

from . import member_views as views

# Included under /members/ with the members' own pages (see portal/urls.py).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("post/<slug:kind>/", views.post_listing, name="post"),
    path("listings/<id:pk>/edit/", views.edit_listing, name="edit"),
    path("listings/<id:pk>/renew/", views.renew_listing, name="renew"),
    path("listings/<id:pk>/close/", views.close_listing, name="close"),
    path("quotes/<id:pk>/accept/", views.accept_quote, name="accept_quote"),
]
