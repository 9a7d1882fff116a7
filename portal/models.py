"""The portal's own data: what the practice shows each client's executives. Data and invariants only;
writes go through `portal.services`."""

from django.core.exceptions import ValidationError
from django.db import models

from vcio.history import IndexedHistoricalRecords
from vcio.models import TenantModel


def validate_section_keys(value) -> None:
    from .sections import section

    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValidationError("Hidden sections must be a list of section keys.")
    unknown = [k for k in value if section(k) is None or not section(k).hideable]
    if unknown:
        raise ValidationError(f"These portal sections cannot be hidden: {', '.join(sorted(unknown))}.")


class PortalSettings(TenantModel):
    """One row per client (none = every section shown): the portal sections its executives do not see."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="portal_settings", db_index=False
    )
    hidden_sections = models.JSONField(default=list, blank=True, validators=[validate_section_keys])
    history = IndexedHistoricalRecords(("client",), "portalsettings_hist_pr_client")

    class Meta:
        verbose_name = "portal settings"
        verbose_name_plural = "portal settings"
        constraints = [
            models.UniqueConstraint(fields=["practice", "client"], name="portal_settings_one_per_client")
        ]

    def __str__(self):
        return f"Portal settings of {self.client_id}"

    def shows(self, key: str) -> bool:
        return key not in (self.hidden_sections or [])
