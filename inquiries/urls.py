from django.urls import path

from inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("buyers/register/", views.buyer_register, name="buyer_register"),
    path("buyers/", views.buyer_list, name="buyer_list"),
    path("buyers/<int:pk>/verify/", views.buyer_verify, name="buyer_verify"),
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/cancel/", views.inquiry_cancel, name="inquiry_cancel"),
    path("buyer-requests/", views.buyer_requests, name="buyer_requests"),
    path("buyer-requests/<int:pk>/accept/", views.share_accept, name="share_accept"),
    path("buyer-requests/<int:pk>/decline/", views.share_decline, name="share_decline"),
    path("demand/", views.demand, name="demand"),
]
