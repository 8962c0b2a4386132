from django.contrib import admin

from places.models import Commune, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "former_names"]
    search_fields = ["name", "name_folded", "former_folded"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "division_type", "former_names"]
    list_filter = ["province"]
    search_fields = ["name", "name_folded", "former_folded"]
