"""Django admin for facilitators. Every save and delete lands in the audit log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .actions import AuditAction, moderate_feedback, record_audit
from .login import AdminLoginForm
from .models import (
    AuditLogEntry,
    Feedback,
    FeedbackAnswer,
    FeedbackReport,
    FieldOfAction,
    LivingLab,
    Measure,
    Process,
    ProcessPhase,
    Project,
    User,
)

# The admin's login has the same lockout after wrong passwords as the site's.
admin.site.login_form = AdminLoginForm


class AuditedAdmin(admin.ModelAdmin):
    """Records who created, changed or deleted what through the admin."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit(
            request.user,
            AuditAction.UPDATE if change else AuditAction.CREATE,
            obj,
            {"fields": sorted(form.changed_data)} if change else {},
        )

    def delete_model(self, request, obj):
        record_audit(request.user, AuditAction.DELETE, obj)
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_audit(request.user, AuditAction.CREATE, obj)
        for obj, fields in formset.changed_objects:
            record_audit(request.user, AuditAction.UPDATE, obj, {"fields": sorted(fields)})
        for obj in formset.deleted_objects:
            record_audit(request.user, AuditAction.DELETE, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_audit(request.user, AuditAction.DELETE, obj)
        super().delete_queryset(request, queryset)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Beteiligung"), {"fields": ("role", "email_verified")}),)
    list_display = ("username", "email", "role", "email_verified", "is_active", "date_joined")
    list_filter = ("role", "email_verified", "is_active", "is_staff")


class ProcessPhaseInline(admin.TabularInline):
    model = ProcessPhase
    extra = 0
    fields = ("kind", "title", "title_en", "starts_on", "ends_on", "description", "description_en")


@admin.register(Process)
class ProcessAdmin(AuditedAdmin):
    list_display = ("title", "slug", "starts_on", "ends_on", "published")
    list_filter = ("published",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("facilitators",)
    search_fields = ("title", "title_en")
    inlines = [ProcessPhaseInline]


@admin.register(FieldOfAction)
class FieldOfActionAdmin(AuditedAdmin):
    list_display = ("title", "process", "position")
    list_filter = ("process",)
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "title_en")


class StatusFromItsPage:
    """The status of an existing measure or project changes on its page (``actions.change_status``),
    with a reason, in its dated history; here it is shown, not edited."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "status") if obj else fields


@admin.register(Measure)
class MeasureAdmin(StatusFromItsPage, AuditedAdmin):
    list_display = ("title", "process", "field", "status", "origin", "estimated_cost", "published")
    list_filter = ("process", "field", "status", "origin", "published")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "title_en", "summary")


@admin.register(Project)
class ProjectAdmin(StatusFromItsPage, AuditedAdmin):
    list_display = ("title", "owner_organisation", "owner_kind", "field", "status", "public")
    list_filter = ("process", "owner_kind", "status", "field", "public")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "owner_organisation")


@admin.register(LivingLab)
class LivingLabAdmin(AuditedAdmin):
    list_display = ("title", "process", "latitude", "longitude", "published")
    list_filter = ("process", "published")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("projects",)


class FeedbackReportInline(admin.TabularInline):
    model = FeedbackReport
    extra = 0
    readonly_fields = ("reporter", "reason", "created")
    can_delete = False


class FeedbackAnswerInline(admin.StackedInline):
    """Shown, not edited here: an answer is given on the page of the feedback, with its audit entry."""

    model = FeedbackAnswer
    extra = 0
    readonly_fields = ("text", "state", "answered_by", "created", "updated")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("short_text", "author", "target", "status", "flagged", "created")
    list_filter = ("status", "flagged")
    search_fields = ("text",)
    readonly_fields = (
        "author",
        "process",
        "measure",
        "project",
        "lab",
        "text",
        "created",
        "moderated_by",
        "moderated_at",
    )
    fields = readonly_fields + ("moderation_reason",)
    inlines = [FeedbackAnswerInline, FeedbackReportInline]
    actions = ["hide_selected", "show_selected"]

    @admin.display(description=_("Text"))
    def short_text(self, obj):
        return obj.text[:80]

    @admin.action(description=_("Ausgewählte Rückmeldungen ausblenden"))
    def hide_selected(self, request, queryset):
        for feedback in queryset:
            moderate_feedback(request.user, feedback, hide=True)

    @admin.action(description=_("Ausgewählte Rückmeldungen wieder anzeigen"))
    def show_selected(self, request, queryset):
        for feedback in queryset:
            moderate_feedback(request.user, feedback, hide=False)

    def has_add_permission(self, request):
        return False


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ("created", "actor_name", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "target_repr")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
