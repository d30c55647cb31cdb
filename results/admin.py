"""Published snapshots in the admin: to look at, never to change."""

from django.contrib import admin

from .models import ResultSnapshot


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(admin.ModelAdmin):
    list_display = ("consultation", "published_at", "sha256")
    list_filter = ("published_at",)
    exclude = ("ballots",)  # can be megabytes; the open-data bundle has it
    readonly_fields = ("consultation", "content", "canonical", "sha256", "ballots_sha256", "published_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
