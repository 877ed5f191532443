"""The catalogue pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import member_views as views

urlpatterns = [
    path("products/", views.products, name="products"),
    path("products/add/", views.add_product, name="add_product"),
    path("products/<id:pk>/edit/", views.edit_product, name="edit_product"),
    path("products/<id:pk>/withdraw/", views.withdraw_product, name="withdraw_product"),
]
