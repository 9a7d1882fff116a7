"""The board: every workflow move through the page (htmx and plain forms), viewers, re-reads."""

import pytest

from roadmaps.models import Initiative, InitiativeStatusChange
from tests.factories import GoalFactory, InitiativeFactory
from tests.roadmaps.conftest import HTMX, quarter_keys, url
from tests.roadmaps.test_services import ALLOWED, FORBIDDEN


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_every_allowed_transition_through_the_board(from_status, to_status, as_consultant_a, client_a1):
    start = quarter_keys(client_a1)
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=start.key, target_end=start.key)
    data = {"to": to_status, "note": "moved"}
    if to_status == "deferred":
        data["target_start"] = start.add(2).key

    response = as_consultant_a.post(url("transition", client_a1, i.pk), data, **HTMX)

    assert response.status_code == 200
    assert b"Moved" in response.content
    i.refresh_from_db()
    assert i.status == to_status
    assert InitiativeStatusChange.objects.get(initiative=i).to_status == to_status


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition_through_the_board(from_status, to_status, as_consultant_a, client_a1):
    start = quarter_keys(client_a1)
    i = InitiativeFactory(client=client_a1, status=from_status, target_start=start.key, target_end=start.key)
    data = {"to": to_status}
    if to_status == "deferred":
        data["target_start"] = start.add(2).key

    response = as_consultant_a.post(url("transition", client_a1, i.pk), data, **HTMX)

    assert response.status_code == 400
    assert b"stays where it was" in response.content
    i.refresh_from_db()
    assert i.status == from_status
    assert not InitiativeStatusChange.objects.exists()
    # the card is still rendered in its original column
    content = response.content.decode()
    column = content.split(f'data-status="{from_status}"')[1].split("</ul>")[0]
    assert str(i.pk) in column


def test_forbidden_move_without_htmx_shows_the_reason_on_the_form(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    response = as_consultant_a.post(url("transition", client_a1, i.pk), {"to": "done"})
    assert response.status_code == 400
    assert "Only approved or in-progress initiatives can be marked done." in response.content.decode()
    i.refresh_from_db()
    assert i.status == "proposed"


def test_allowed_move_without_htmx_redirects_with_a_message(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    response = as_consultant_a.post(
        url("transition", client_a1, i.pk), {"to": "approved", "next": url("board", client_a1)}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("board", client_a1)
    assert "is now approved" in response.content.decode()


def test_deferring_by_drag_without_a_quarter_asks_for_one(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="approved")
    response = as_consultant_a.post(url("transition", client_a1, i.pk), {"to": "deferred"}, **HTMX)
    assert response.status_code == 400
    assert "needs a new target quarter" in response.content.decode()
    assert "Choose a new quarter" in response.content.decode()
    i.refresh_from_db()
    assert i.status == "approved"


def test_viewer_cannot_move_a_card_and_sees_no_edit_controls(as_viewer_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="proposed")
    GoalFactory(client=client_a1)

    response = as_viewer_a.post(url("transition", client_a1, i.pk), {"to": "approved"}, **HTMX)
    assert response.status_code == 403
    i.refresh_from_db()
    assert i.status == "proposed"
    assert not InitiativeStatusChange.objects.exists()

    board = as_viewer_a.get(url("board", client_a1)).content.decode()
    assert "board-move" not in board and "roadmap-board.js" not in board
    assert "New initiative" not in board
    for name, args in [("list", []), ("detail", [i.pk]), ("goals", []), ("timeline", [])]:
        html = as_viewer_a.get(url(name, client_a1, *args)).content.decode()
        assert url("edit", client_a1, i.pk) not in html, name
        assert url("delete", client_a1, i.pk) not in html, name
        assert "New initiative" not in html and "New goal" not in html, name
    for name in ["create", "goal_create"]:
        assert as_viewer_a.post(url(name, client_a1), {"title": "x"}).status_code == 403
    assert as_viewer_a.post(url("delete", client_a1, i.pk)).status_code == 403
    assert Initiative.objects.filter(pk=i.pk).exists()


def test_board_shows_the_move_control_with_only_allowed_targets(as_consultant_a, client_a1):
    i = InitiativeFactory(client=client_a1, status="in_progress")
    html = as_consultant_a.get(url("board", client_a1)).content.decode()
    assert "roadmap-board.js" in html and "Sortable.min.js" in html
    select = html.split(f'id="move-{i.pk}"')[1].split("</select>")[0]
    assert 'value="done"' in select and 'value="deferred"' in select
    assert 'value="approved"' not in select and 'value="proposed"' not in select


# --- board re-read after a failed move ------------------------------------------------------------


def test_board_names_its_url_and_answers_the_scripts_re_read_with_the_board_alone(as_viewer_a, client_a1):
    InitiativeFactory(client=client_a1, title="Card to re-read")
    board_url = url("board", client_a1)

    page = as_viewer_a.get(board_url).content.decode()
    partial = as_viewer_a.get(board_url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board")

    assert "<html" in page and f'data-board-url="{board_url}"' in page
    html = partial.content.decode()
    assert partial.status_code == 200 and html.lstrip().startswith('<div id="board"')
    assert "<html" not in html and "Card to re-read" in html and f'data-board-url="{board_url}"' in html
    assert "HX-Target" in partial["Vary"]


# --- bounded columns ------------------------------------------------------------------------------


def test_a_column_shows_its_first_cards_and_loads_the_rest_on_demand(as_consultant_a, client_a1):
    from roadmaps.board_selectors import BOARD_COLUMN_SIZE

    start = quarter_keys(client_a1)
    extra = 7
    for n in range(BOARD_COLUMN_SIZE + extra):
        InitiativeFactory(client=client_a1, status="approved", title=f"Card {n:02d}", target_start=start.key)
    InitiativeFactory(client=client_a1, status="proposed", title="Lonely proposal", one_time_cost="10")

    html = as_consultant_a.get(url("board", client_a1)).content.decode()
    approved = html.split('data-status="approved"')[1].split("</ul>")[0]
    assert approved.count('class="board-card ') == BOARD_COLUMN_SIZE
    assert f"({extra} not shown)" in approved
    # the count in the header is every card of the column
    assert f"{BOARD_COLUMN_SIZE + extra}</span>" in html.split('id="col-approved"')[1].split("</header>")[0]
    # without JavaScript the button is a link to the column's initiatives in the list
    assert f"{url('list', client_a1)}?status=approved" in approved
    proposed = html.split('data-status="proposed"')[1].split("</ul>")[0]
    assert "not shown" not in proposed

    # "Show more": the next cards and, while more remain, the button again
    loaded, after = approved, BOARD_COLUMN_SIZE
    while True:
        more = as_consultant_a.get(url("board", client_a1) + f"?column=approved&after={after}", **HTMX)
        assert more.status_code == 200
        cards = more.content.decode()
        assert "<html" not in cards
        new = cards.count('class="board-card ')
        assert new == min(BOARD_COLUMN_SIZE, BOARD_COLUMN_SIZE + extra - after)
        loaded, after = loaded + cards, after + new
        if "not shown" not in cards:
            break
        assert f"after={after}" in cards
    assert after == BOARD_COLUMN_SIZE + extra
    assert all(f"Card {n:02d}" in loaded for n in range(BOARD_COLUMN_SIZE + extra))


def test_the_board_costs_the_same_queries_with_many_cards(
    as_consultant_a, client_a1, django_assert_num_queries
):
    def grow(n):
        for k in range(n):
            InitiativeFactory(client=client_a1, status=["proposed", "approved", "done"][k % 3])

    grow(3)
    target = url("board", client_a1)
    as_consultant_a.get(target)  # warm: the first request after signing in records the practice
    with django_assert_num_queries(20, exact=False) as small:
        as_consultant_a.get(target)
    grow(80)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    assert response.content.decode().count('class="board-card ') <= 3 * 20
