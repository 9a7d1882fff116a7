"""API of the accounts app: `me` (who is calling), and the member field other apps' serializers use."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from vcio.api import request_practice
from vcio.api_schema import describe_tag


class MemberField(serializers.PrimaryKeyRelatedField):
    """A user who is a member of the request's practice (scoped in the serializer's `scope_fields`)."""


describe_tag("me", "Who is calling: the practice, the role in force, and the user or API key.")


class MeSerializer(serializers.Serializer):
    practice = serializers.DictField()
    role = serializers.CharField()
    user = serializers.DictField(allow_null=True)
    api_key = serializers.DictField(allow_null=True)


class MeView(APIView):
    """Who is calling. The practice, the role in force, and the user or the API key."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        practice = request_practice(request)
        key = getattr(request.user, "api_key", None)
        user = (
            None
            if key
            else {"id": str(request.user.pk), "email": request.user.email, "name": request.user.display_name}
        )
        return Response(
            {
                "practice": {
                    "id": str(practice.pk),
                    "slug": practice.slug,
                    "name": practice.name,
                    "currency": practice.currency,
                    "time_zone": practice.time_zone,
                },
                "role": request.api_role,
                "user": user,
                "api_key": {"name": key.name, "prefix": key.prefix, "read_only": key.read_only}
                if key
                else None,
            }
        )


API_PATHS = [path("me/", MeView.as_view(), name="api-me")]
