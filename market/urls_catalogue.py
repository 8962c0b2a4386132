from django.urls import path, re_path

from market import views_catalogue, views_sharing

FEED = r"(?P<fmt>google\.xml|google\.csv|facebook\.csv)"

urlpatterns = [
    path("catalogue/", views_catalogue.browse, name="browse"),
    path("catalogue/products/<int:pk>/", views_catalogue.product, name="product"),
    path("catalogue/products/<int:pk>/card.png", views_sharing.product_card, name="product_card"),
    path("catalogue/producers/<int:pk>/", views_catalogue.producer, name="producer"),
    path("catalogue/producers/<int:pk>/card.png", views_sharing.producer_card, name="producer_card"),
    re_path(
        rf"^catalogue/feeds/entity/(?P<pk>[0-9]{{1,18}})/{FEED}$",
        views_sharing.feed_entity,
        name="feed_entity",
    ),
    re_path(
        rf"^catalogue/feeds/province/(?P<code>[0-9A-Za-z]{{1,10}})/{FEED}$",
        views_sharing.feed_province,
        name="feed_province",
    ),
    path("sitemap.xml", views_sharing.sitemap, name="sitemap"),
    path("robots.txt", views_sharing.robots, name="robots"),
]
