"""The session store: Django's database sessions, with the session read on every request prepared
(`vcio.prepared`) instead of built and compiled by the ORM each time. Everything else — saving,
expiry, cycling the key, clearing — is Django's."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from .prepared import Prepared

SESSION_READ = Prepared(
    lambda key, now: Session.objects.filter(session_key=key).filter(expire_date__gt=now).only("session_data"),
    [Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")],
    using=router.db_for_read(Session),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = SESSION_READ.instances(self.session_key, timezone.now())
        if found is None:
            return super()._get_session_from_db()
        if not found:
            self._session_key = None
            return None
        return found[0]
