from django.urls import path, re_path

from traceability import views

app_name = "traceability"
urlpatterns = [
    re_path(r"^01/(?P<rest>.*)$", views.resolver_view, name="resolver"),
    path(".well-known/gs1resolver", views.resolver_view, name="resolver_description"),
    re_path(r"^scan/(?P<rest>01/.*)$", views.scan, name="scan"),
]
