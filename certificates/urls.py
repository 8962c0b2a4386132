from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    # No trailing slash: the URL is printed in QR codes and typed from paper.
    path("verify/<str:code>", views.verify, name="verify"),
    path("certificates/<int:pk>/pdf", views.certificate_pdf, name="pdf"),
    path("rounds/<int:pk>/certificates/", views.round_certificates, name="round_certificates"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
]
