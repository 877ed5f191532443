"""The transfers pages of the member area, served under /members/ (see portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/template/", views.template, name="transfers_template"),
    path("transfers/report/", views.report, name="transfers_report"),
    path("transfers/export/", views.export, name="transfers_export"),
    path("transfers/products/", views.products_import, name="products_import"),
    path("transfers/products/template/", views.products_template, name="products_template"),
    path("transfers/products/export/", views.products_export, name="products_export"),
]
