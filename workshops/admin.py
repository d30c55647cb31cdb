"""Workshops in the Django admin. Creating and changing go through workshops.actions (audited, and
open boards hear of a change); deleting is audited by AuditedAdmin. Facilitators see and pick only
the processes they manage."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from participation import rules
from participation.admin import AuditedAdmin
from participation.moderation_selectors import managed_processes

from .actions import EDITABLE_FIELDS, create_workshop, update_workshop
from .models import Workshop


@admin.register(Workshop)
class WorkshopAdmin(AuditedAdmin):
    list_display = ("title", "code", "process", "state", "phase", "created")
    list_filter = ("state", "phase", "process")
    search_fields = ("title", "code")
    fields = ("process", "title", "agenda", "dots_per_participant", "anonymous_posting", "participants_may_cluster")
    readonly_fields = ("code", "state", "phase", "created_by", "created")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return ("code", "state", "phase", "process", *self.fields[1:], "created_by", "created")

    def get_readonly_fields(self, request, obj=None):
        # A workshop stays in its process (its cards may have become the process's measures).
        return (*self.readonly_fields, "process") if obj is not None else self.readonly_fields

    def get_queryset(self, request):
        workshops = super().get_queryset(request).select_related("process")
        if request.user.is_superuser:
            return workshops
        return workshops.filter(process__in=managed_processes(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "process":
            kwargs["queryset"] = managed_processes(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved, _changed = update_workshop(request.user, obj, data)
        else:
            if not rules.can_manage_process(request.user, obj.process):
                raise PermissionDenied
            saved = create_workshop(request.user, obj.process, **data)
        obj.pk, obj.code, obj.state = saved.pk, saved.code, saved.state
