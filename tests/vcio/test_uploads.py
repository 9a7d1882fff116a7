"""`vcio.uploads.StashedUploadMixin`, which the actuals and contracts imports share: an upload waits in
the session under a token, one per member and practice."""

from types import SimpleNamespace

from vcio.uploads import StashedUploadMixin


class _Import(StashedUploadMixin):
    upload_session_key = "test_import"

    def __init__(self, session, practice, scope):
        self.request = SimpleNamespace(session=session)
        self.practice = SimpleNamespace(pk=practice)
        self.scope = scope

    def scope_key(self):
        return f"{self.practice.pk}:{self.scope}"


def test_an_upload_is_given_back_only_for_its_token_and_scope():
    session = {}
    first = _Import(session, "p1", "client-a")
    token = first.stash("x" * 200, "date,amount\n")
    assert first.stashed(token) == {"token": token, "name": "x" * 120, "text": "date,amount\n"}
    for wrong in ("", "0" * 32, token[:-1], None):
        assert first.stashed(wrong) is None
    assert _Import(session, "p1", "client-b").stashed(token) is None  # another client's page


def test_one_pending_upload_per_practice_and_another_practices_stays():
    session = {}
    a = _Import(session, "p1", "client-a")
    old = a.stash("a.csv", "A")
    other_practice = _Import(session, "p2", "practice")
    kept = other_practice.stash("p2.csv", "P2")
    b = _Import(session, "p1", "practice")
    new = b.stash("b.csv", "B")
    assert a.stashed(old) is None  # replaced by the practice's newer upload
    assert b.stashed(new)["text"] == "B" and other_practice.stashed(kept)["text"] == "P2"
    b.drop()
    assert b.stashed(new) is None and other_practice.stashed(kept)["text"] == "P2"
    assert set(session["test_import"]) == {"p2:practice"}
