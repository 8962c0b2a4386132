from django.urls import path

from evaluation import views, views_council

app_name = "evaluation"
urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/members/", views.round_member_add, name="round_member_add"),
    path("rounds/<int:pk>/start/", views.round_scoring_start, name="round_scoring_start"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("products/<int:product_pk>/dossiers/new/", views.dossier_create, name="dossier_create"),
    path("dossiers/to-check/", views.dossiers_to_check, name="dossiers_to_check"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/submit/", views.dossier_submit, name="dossier_submit"),
    path("dossiers/<int:pk>/check/", views.dossier_check, name="dossier_check"),
    path("dossiers/<int:pk>/assign/", views.dossier_assign, name="dossier_assign"),
    path("dossiers/<int:pk>/forward/", views.dossier_forward, name="dossier_forward"),
    path("dossiers/<int:pk>/evidence/<int:evidence_pk>/", views.dossier_evidence, name="dossier_evidence"),
    path("dossiers/<int:pk>/score/", views_council.dossier_score, name="dossier_score"),
    path("dossiers/<int:pk>/score/submit/", views_council.dossier_score_submit, name="dossier_score_submit"),
    path("dossiers/<int:pk>/result/", views_council.dossier_result, name="dossier_result"),
    path("scoring/", views_council.scoring_list, name="scoring_list"),
]
