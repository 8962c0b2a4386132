from django.db import transaction

from audit.services import audit_record, snapshot


class AuditedAdminMixin:
    """Reference data (groups, criteria sets, …) is edited in the admin; each save is audited
    like a service write."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.admin_save",
                obj=obj,
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.admin_delete",
                obj=obj,
                before=snapshot(obj),
            )
            super().delete_model(request, obj)


class ReadOnlyAdminMixin:
    """Records with business rules are written through services (pages, API, importers); the admin
    shows them for support and search, and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
