from market import urls_catalogue, urls_search

app_name = "market"
urlpatterns = [*urls_search.urlpatterns, *urls_catalogue.urlpatterns]
