from django.urls import path

from labels import views

app_name = "labels"
urlpatterns = [
    path("products/<int:pk>/labels/", views.label_jobs, name="jobs"),
    path("products/<int:pk>/labels/<int:job_pk>/", views.label_job, name="job"),
    path("products/<int:pk>/labels/<int:job_pk>/download/", views.label_job_download, name="download"),
]
