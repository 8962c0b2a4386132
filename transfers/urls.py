from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/templates/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("exports/<str:kind>.<str:fmt>", views.export, name="export"),
]
