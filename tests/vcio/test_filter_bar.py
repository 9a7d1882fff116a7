"""The filter bars of Meetings and Initiatives (`vcio.forms.style_filter_bar`): every select is small
and submits the bar when it changes; other fields keep their own style."""

import re

import pytest

from qbr.forms import MeetingFilterForm
from roadmaps.forms import InitiativeFilterForm
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["meetings", "initiatives"])
def test_every_select_of_a_filter_bar_is_small_and_submits_it(which, practice_a):
    form = (
        MeetingFilterForm(practice=practice_a)
        if which == "meetings"
        else InitiativeFilterForm(client=ClientFactory(practice=practice_a))
    )
    selects = [name for name, field in form.fields.items() if field.widget.input_type == "select"]
    assert len(selects) >= 4
    for name in form.fields:
        html = str(form[name])
        tag = re.match(r"<(\w+)[^>]*>", html).group(0)
        if name in selects:
            assert "form-select form-select-sm" in tag and "data-autosubmit" in tag, name
        else:
            assert "form-select-sm" not in tag and "data-autosubmit" not in tag, name
