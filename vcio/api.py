"""REST API foundation shared by every app: the base serializer and viewset that scope everything to
the request's practice, pagination, and one error format.

Authentication (`clients.api_auth`) puts the practice on the request (`request.practice`) and the
role in force (`request.api_role`); nothing here imports an app of ours.
"""

from django.http import Http404
from rest_framework import mixins, relations, serializers, viewsets


def request_practice(request):
    practice = getattr(request, "practice", None)
    if practice is None:  # fail closed: never "all practices"
        raise Http404
    return practice


class TenantSerializer(serializers.ModelSerializer):
    """Every related field over a tenant model only accepts rows of the request's practice: another
    practice's id is answered like an unknown id (400), never linked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practice = getattr(request, "practice", None) if request else None
        for field in self.fields.values():
            target = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if isinstance(target, relations.RelatedField) and not target.read_only:
                qs = target.queryset
                if hasattr(qs, "for_practice"):
                    target.queryset = qs.for_practice(practice) if practice else qs.none()
        self.scope_fields(practice)

    def scope_fields(self, practice):
        """Hook for non-tenant choices (e.g. users who are members of the practice)."""


class TenantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD over one tenant model. Subclasses give `get_scoped_queryset(practice)` (a selector) and
    the services: `create_object`, `update_object`, `destroy_object`. Views hold no business rules."""

    lookup_value_converter = "uuid"

    def get_scoped_queryset(self, practice):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request practice
            return self.get_serializer_class().Meta.model.objects.none()
        return self.get_scoped_queryset(request_practice(self.request))

    @property
    def practice(self):
        return request_practice(self.request)

    @property
    def actor(self):
        user = getattr(self.request, "user", None)
        return user if getattr(user, "pk", None) else None

    def create_object(self, data):
        raise NotImplementedError

    def update_object(self, instance, data):
        raise NotImplementedError

    def destroy_object(self, instance):
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        self.destroy_object(instance)
