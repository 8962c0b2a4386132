from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("open-data/", views.index, name="index"),
    # Stable addresses: scripts and mirrors fetch these every night; never rename them.
    path("open-data/ocop-products.jsonl", views.products_jsonl, name="products_jsonl"),
    path("open-data/ocop-products.csv", views.products_csv, name="products_csv"),
    path("open-data/metadata.json", views.metadata_json, name="metadata"),
]
