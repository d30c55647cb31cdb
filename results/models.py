"""Published result snapshots: frozen, hashed, never edited.

A snapshot stores the result as canonical JSON text (the bytes its SHA-256 is
taken of) and the anonymous ballot file it was counted from, so that the open-data
bundle always matches the published result even if other data change later. A
change of data produces a new snapshot, never an edit: ``save`` refuses to update
an existing row, and a database trigger (migration 0002) refuses UPDATEs that
bypass the ORM.
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from voting.models import Consultation


class SnapshotImmutable(Exception):
    """A published snapshot was about to be changed."""


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SnapshotImmutable("Published result snapshots cannot be changed.")

    def bulk_update(self, *args, **kwargs):
        raise SnapshotImmutable("Published result snapshots cannot be changed.")


class ResultSnapshot(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("Befragung")
    )
    content = models.JSONField(_("Ergebnis"))
    # The exact published bytes (UTF-8): sorted keys, no whitespace, no ASCII escapes.
    canonical = models.TextField(_("Ergebnis (kanonisches JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    ballots = models.TextField(_("Stimmzettel-Datei (kanonisches JSON)"))
    ballots_sha256 = models.CharField(_("SHA-256 der Stimmzettel-Datei"), max_length=64)
    published_at = models.DateTimeField(_("veröffentlicht am"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("durch")
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("veröffentlichtes Ergebnis")
        verbose_name_plural = _("veröffentlichte Ergebnisse")
        ordering = ["consultation", "-published_at", "-id"]

    def __str__(self):
        return f"{self.consultation_id} {self.published_at:%Y-%m-%d %H:%M} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise SnapshotImmutable("A published result snapshot cannot be changed; publish a new one.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    @property
    def result(self):
        """The content read back from the published bytes, exactly as published."""
        return json.loads(self.canonical)

    @property
    def ballot_file(self):
        return self.ballot_data.document

    @property
    def ballot_data(self):
        """The stored ballot file as a BallotFile: bytes first, parsed forms on demand."""
        from .ballotfile import BallotFile

        return BallotFile(self.ballots.encode("utf-8"))
