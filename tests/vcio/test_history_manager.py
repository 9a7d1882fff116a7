"""`Model.history` builds its manager class once per model (`vcio.history.cache_history_managers`),
and still reads the model's history, all of it or one object's."""

import pytest

from clients.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_built_once_per_model():
    client = ClientFactory(name="Harbor Dental")

    assert type(Client.history) is type(Client.history)
    assert type(client.history) is type(Client.history)


def test_the_history_manager_still_reads_the_model_and_the_object():
    client = ClientFactory(name="Harbor Dental")
    other = ClientFactory(practice=client.practice, name="Summit Legal")
    client.name = "Harbor Family Dental"
    client.save()

    assert [r.name for r in client.history.order_by("history_date")] == [
        "Harbor Dental",
        "Harbor Family Dental",
    ]
    assert Client.history.filter(practice_id=client.practice_id).count() == 3
    assert other.history.get().name == "Summit Legal"
    assert client.history.most_recent().name == "Harbor Family Dental"
