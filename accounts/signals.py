"""Signals of the accounts app, for higher apps that must react (accounts never imports them)."""

from django.dispatch import Signal

# Sent after a membership is deleted: practice_id, user (the person who left), actor.
member_removed = Signal()
