"""Small helpers every app's services share."""

from collections.abc import Iterable


def apply_fields(obj, data: dict, allowed: Iterable[str]) -> None:
    """Set `data` on `obj`; a key outside `allowed` is a programming error, never silently ignored."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(obj, key, value)


def audit(obj, actor, reason: str = "") -> None:
    """Name who made the change (and why) on the audit-history row the next save or delete writes.

    Pages get the user from the request anyway; this matters for API keys, commands and tasks.
    """
    if getattr(actor, "pk", None) is not None:
        obj._history_user = actor
    if reason:
        obj._change_reason = reason
