from django.urls import path

from trade import views_channels, views_events, views_outlets, views_tourism

app_name = "trade"
urlpatterns = [
    path("products/<int:pk>/sales/", views_channels.product_sales, name="product_sales"),
    path("products/<int:pk>/sales/channels/", views_channels.channel_add_view, name="channel_add"),
    path(
        "products/<int:pk>/sales/channels/<int:channel_pk>/remove/",
        views_channels.channel_remove_view,
        name="channel_remove",
    ),
    path("products/<int:pk>/sales/outlets/", views_channels.stock_add_view, name="stock_add"),
    path(
        "products/<int:pk>/sales/outlets/<int:link_pk>/remove/",
        views_channels.stock_remove_view,
        name="stock_remove",
    ),
    path("outlets/", views_outlets.outlet_list, name="outlet_list"),
    path("outlets/new/", views_outlets.outlet_create_view, name="outlet_create"),
    path("outlets/<int:pk>/", views_outlets.outlet_detail, name="outlet_detail"),
    path("outlets/<int:pk>/edit/", views_outlets.outlet_edit_view, name="outlet_edit"),
    path("outlets/<int:pk>/open/", views_outlets.outlet_open_view, name="outlet_open"),
    path("outlets/<int:pk>/products/", views_outlets.outlet_stock_add_view, name="outlet_stock_add"),
    path(
        "outlets/<int:pk>/products/<int:link_pk>/remove/",
        views_outlets.outlet_stock_remove_view,
        name="outlet_stock_remove",
    ),
    path("events/", views_events.event_list, name="event_list"),
    path("events/new/", views_events.event_create_view, name="event_create"),
    path("events/<int:pk>/", views_events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views_events.event_edit_view, name="event_edit"),
    path("events/<int:pk>/products/", views_events.participation_add_view, name="participation_add"),
    path(
        "events/<int:pk>/products/<int:participation_pk>/remove/",
        views_events.participation_remove_view,
        name="participation_remove",
    ),
    path("tourism/", views_tourism.tourism_map, name="tourism"),
    path("tourism/new/", views_tourism.destination_create_view, name="destination_create"),
    path("tourism/<int:pk>/", views_tourism.destination_detail, name="destination_detail"),
    path("tourism/<int:pk>/edit/", views_tourism.destination_edit_view, name="destination_edit"),
]
