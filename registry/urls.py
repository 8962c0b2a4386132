from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/<int:entity_pk>/products/new/", views.product_create, name="product_create"),
    path("entities/<int:entity_pk>/evidence/new/", views.evidence_upload, name="evidence_upload"),
    path("entities/<int:entity_pk>/recognitions/new/", views.recognition_create, name="recognition_create"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/images/", views.product_image_add, name="product_image_add"),
    path("products/<int:pk>/recordings/", views.story_recording_add, name="story_recording_add"),
    path(
        "products/<int:pk>/recordings/<int:recording_pk>/remove/",
        views.story_recording_remove,
        name="story_recording_remove",
    ),
    path("products/<int:pk>/video/", views.product_video_set, name="product_video_set"),
    path("products/<int:pk>/packagings/", views.packaging_add, name="packaging_add"),
    path("products/<int:pk>/status/", views.product_status, name="product_status"),
    path("packagings/<int:pk>/remove/", views.packaging_remove, name="packaging_remove"),
    path("my/products/", views.my_products, name="my_products"),
]
