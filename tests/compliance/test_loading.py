"""The shipped catalogs in the database: `load_frameworks` validates a whole file before writing,
is idempotent, refuses a malformed file (writing nothing and saying why), and runs for every new
database (the post-migrate hook)."""

import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from compliance.catalog import SHIPPED_CATALOGS_DIR, shipped_catalog_paths
from compliance.catalog_services import ensure_shipped_catalogs, load_catalog_files
from compliance.models import Framework, Requirement, catalog_requirement_id

pytestmark = pytest.mark.django_db

COUNTS = {
    "nist-csf-2-0": {0: 6, 1: 22, 2: 106},
    "hipaa-security-rule": {0: 5, 1: 22, 2: 43},
    "nist-sp-800-171-r3": {0: 17, 1: 97},
    "nist-sp-800-53-r5-low": {0: 18, 1: 131, 2: 18},
}
ASSESSABLE = {
    "nist-csf-2-0": 106,
    "hipaa-security-rule": 65,
    "nist-sp-800-171-r3": 97,
    "nist-sp-800-53-r5-low": 149,
}


def snapshot():
    return (
        Framework.objects.count(),
        Requirement.objects.count(),
        Requirement.objects.aggregate(m=Max("updated_at"))["m"],
        list(Framework.objects.order_by("slug").values_list("slug", "updated_at")),
    )


def run(*paths) -> str:
    out = StringIO()
    call_command("load_frameworks", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def test_every_new_database_has_the_shipped_catalogs_with_the_published_counts():
    for slug, counts in COUNTS.items():
        framework = Framework.objects.get(slug=slug)
        found = dict(
            Requirement.objects.filter(framework=framework)
            .values_list("level")
            .annotate(n=Count("id"))
            .order_by()
        )
        assert found == counts, slug
        assert Requirement.objects.filter(framework=framework, assessable=True).count() == ASSESSABLE[slug]
    csf = Framework.objects.get(slug="nist-csf-2-0")
    assert csf.short_name == "NIST CSF 2.0" and csf.license.startswith("Public domain")
    assert "notes" in csf.extra  # other top-level fields are kept
    hipaa = Requirement.objects.get(framework__slug="hipaa-security-rule", ref="164.308(a)(1)(ii)(A)")
    assert hipaa.required is True and hipaa.title == "Risk analysis" and hipaa.extra["citation"]


def test_every_parent_exists_and_sits_one_level_up():
    by_id = {r.pk: r for r in Requirement.objects.all()}
    for r in by_id.values():
        if r.level == 0:
            assert r.parent_id is None, r.ref
        else:
            parent = by_id[r.parent_id]
            assert parent.framework_id == r.framework_id and parent.level == r.level - 1, r.ref


def test_ids_are_stable_across_databases():
    r = Requirement.objects.get(framework__slug="nist-csf-2-0", ref="GV.OC-01")
    assert r.pk == catalog_requirement_id("nist-csf-2-0", "GV.OC-01")


def test_loading_twice_changes_nothing():
    before = snapshot()
    out = run()
    assert out.count("unchanged") == 4
    assert snapshot() == before
    # even when every row is compared (not only the file's fingerprint)
    Framework.objects.update(content_hash="")
    before = snapshot()
    out = run()
    assert out.count("unchanged") == 4
    assert snapshot() == before


def test_loading_into_an_empty_table_then_again(capsys):
    Framework.objects.all().delete()
    assert Requirement.objects.count() == 0
    started = time.perf_counter()
    out = run()
    elapsed = time.perf_counter() - started
    assert "134 items — 134 added" in out
    assert Requirement.objects.count() == 485
    first = snapshot()
    run()
    assert snapshot() == first
    print(f"loading the four shipped catalogs took {elapsed:.3f} s")  # noqa: T201 (see README)


def _catalog_copy(tmp_path, name, change):
    data = json.loads((SHIPPED_CATALOGS_DIR / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_changed_item_is_updated_and_only_that_one(tmp_path):
    def retitle(data):
        next(i for i in data["requirements"] if i["ref"] == "GV.OC-01")["title"] = "A new title"

    before = dict(Requirement.objects.filter(framework__slug="nist-csf-2-0").values_list("ref", "updated_at"))
    out = run(_catalog_copy(tmp_path, "nist-csf-2.0.json", retitle))
    assert "0 added, 1 updated, 0 removed" in out
    after = dict(Requirement.objects.filter(framework__slug="nist-csf-2-0").values_list("ref", "updated_at"))
    assert [ref for ref in after if after[ref] != before[ref]] == ["GV.OC-01"]
    assert Requirement.objects.get(framework__slug="nist-csf-2-0", ref="GV.OC-01").title == "A new title"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["requirements"].append(dict(d["requirements"][-1])), "duplicate ref"),
        (lambda d: d["requirements"][5].update(parent="NOPE"), 'parent "NOPE" does not exist'),
        (lambda d: d.pop("license"), 'missing required key "license"'),
        (lambda d: d["requirements"][3].update(title="x" * 301), "at most 300 are allowed"),
    ],
    ids=["duplicate", "missing-parent", "no-licence", "too-long"],
)
def test_a_malformed_file_writes_nothing_and_says_why(tmp_path, change, reason):
    def malformed(data):
        data["slug"] = "brand-new-catalog"
        change(data)

    good = _catalog_copy(tmp_path, "hipaa-security-rule.json", lambda d: d.update(slug="another-new-one"))
    bad = _catalog_copy(tmp_path, "nist-csf-2.0.json", malformed)
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        run(good, bad)
    assert "Nothing was loaded" in str(excinfo.value)
    assert reason in str(excinfo.value) and "nist-csf-2.0.json" in str(excinfo.value)
    assert snapshot() == before  # not even the good file


def test_a_file_that_is_not_json_says_where(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"slug": "x",', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json: not valid JSON"):
        run(path)


def test_an_item_still_answered_cannot_leave_the_catalog(tmp_path, client_a1):
    from tests.compliance.conftest import start

    start(client_a1, Framework.objects.get(slug="nist-csf-2-0"))

    def drop(data):
        data["requirements"] = [i for i in data["requirements"] if i["ref"] != "GV.OC-01"]
        for n, item in enumerate(data["requirements"], start=1):
            item["order"] = n

    path = _catalog_copy(tmp_path, "nist-csf-2.0.json", drop)
    before = snapshot()
    with pytest.raises(CommandError, match="still answered"):
        run(path)
    assert snapshot() == before


def test_the_post_migrate_hook_reloads_a_database_that_lost_them():
    Framework.objects.all().delete()
    ensure_shipped_catalogs()
    assert Framework.objects.count() == 4 and Requirement.objects.count() == 485
    results = ensure_shipped_catalogs()  # already loaded: skipped without parsing
    assert all(r.skipped for r in results)


def test_load_catalog_files_refuses_two_files_with_one_slug(tmp_path):
    a = _catalog_copy(tmp_path, "nist-csf-2.0.json", lambda d: None)
    b = tmp_path / "copy.json"
    b.write_text(a.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(Exception, match="more than one file"):
        load_catalog_files([a, b])


def test_shipped_paths_are_the_package_copies():
    assert all(p.parent == SHIPPED_CATALOGS_DIR for p in shipped_catalog_paths())
