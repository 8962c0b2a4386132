from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/export.csv", views.dashboard_csv, name="dashboard_csv"),
    path("reports/export.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("reports/report.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("reports/targets/", views.target_form, name="target_set"),
    path("statistics/", views.statistics, name="statistics"),
]
