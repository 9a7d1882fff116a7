"""Shared model base classes. This package imports nothing else of ours: the practice is named by string."""

import uuid

from django.db import models


class TenantQuerySet(models.QuerySet):
    def for_practice(self, practice):
        """Rows of one practice. Fails closed: no practice is an error, never "everything"."""
        if practice is None:
            raise ValueError("for_practice() needs a practice; refusing to return every tenant's rows.")
        return self.filter(practice=practice)


class TenantModel(models.Model):
    """Base of every tenant-owned model: a UUID key and its own non-null practice foreign key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "clients.Practice", on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
