from django.urls import path, re_path

from traceability import views, views_epcis

app_name = "traceability"
urlpatterns = [
    re_path(r"^01/(?P<rest>.*)$", views.resolver_view, name="resolver"),
    re_path(r"^p/(?P<rest>.*)$", views.resolver_view, name="resolver_platform"),
    path(".well-known/gs1resolver", views.resolver_view, name="resolver_description"),
    re_path(r"^scan/(?P<rest>(01|p)/.*)$", views.scan, name="scan"),
    path("products/<int:pk>/trace/", views.product_trace, name="product_trace"),
    path("products/<int:pk>/trace/lots/", views.lot_create, name="lot_create"),
    path("products/<int:pk>/trace/lots/<int:lot_pk>/recall/", views.lot_recall, name="lot_recall"),
    path("products/<int:pk>/trace/lots/<int:lot_pk>/qr.svg", views.lot_qr, name="lot_qr"),
    path("products/<int:pk>/trace/serials/", views.serials_issue, name="serials_issue"),
    path("products/<int:pk>/trace/ranges/<int:range_pk>/serials.csv", views.serials_csv, name="serials_csv"),
    path("products/<int:pk>/trace/links/", views.resolver_link_add, name="resolver_link_add"),
    path(
        "products/<int:pk>/trace/links/<int:link_pk>/remove/",
        views.resolver_link_remove,
        name="resolver_link_remove",
    ),
    path(
        "products/<int:pk>/trace/lots/<int:lot_pk>/areas/",
        views.lot_areas_set,
        name="lot_areas_set",
    ),
    path("products/<int:pk>/trace/steps/new/", views.step_new, name="step_new"),
    path("entities/<int:pk>/areas/", views.entity_areas, name="entity_areas"),
    path("entities/<int:pk>/areas/add/", views.area_create, name="area_create"),
    path("entities/<int:pk>/areas/<int:area_pk>/edit/", views.area_edit, name="area_edit"),
    path("entities/<int:pk>/areas/<int:area_pk>/remove/", views.area_remove, name="area_remove"),
    path("epcis/capture", views_epcis.epcis_capture, name="epcis_capture"),
    path("epcis/capture/<str:capture_id>", views_epcis.epcis_capture_job, name="epcis_capture_job"),
    path("epcis/events", views_epcis.epcis_events, name="epcis_events"),
]
