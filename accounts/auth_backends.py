"""The authentication backends (settings.AUTHENTICATION_BACKENDS): Django's and allauth's, with the
signed-in user of every request read by a prepared query (`vcio.prepared`) instead of one the ORM
builds and compiles each time. How a user signs in, and who may, is theirs unchanged."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends

from vcio.prepared import Prepared

from .models import User

USER_READ = Prepared(lambda pk: User._default_manager.filter(pk=pk), [User._meta.pk])


class PreparedUserMixin:
    def get_user(self, user_id):
        found = USER_READ.instances(user_id)
        if found is None:
            return super().get_user(user_id)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None


class ModelBackend(PreparedUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(PreparedUserMixin, allauth_backends.AuthenticationBackend):
    pass
