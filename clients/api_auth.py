"""API authentication and permissions (filled in by the API foundation)."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import IsAuthenticated


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None


class PracticeRolePermission(IsAuthenticated):
    pass
