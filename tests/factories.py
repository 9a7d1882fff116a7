"""Factories for every model. Tenant-owned factories take `practice` from their parent."""

import factory
from factory.django import DjangoModelFactory

from clients.models import Client, Contact, Membership, Practice, Role, User

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    practice = factory.SubFactory(PracticeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONSULTANT


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    industry = "healthcare"
    headcount = 25


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    name = factory.Faker("name")
    title = "CEO"
    email = factory.Sequence(lambda n: f"contact{n}@client.example.com")
