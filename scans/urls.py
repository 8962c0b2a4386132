from django.urls import path

from scans import views

app_name = "scans"
urlpatterns = [
    path("scans/report/", views.report, name="report"),
    path("scans/locate/", views.locate, name="locate"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:pk>/decide/", views.decide, name="decide"),
]
