"""The shipped framework catalogs and the model-free validator (compliance/catalog.py). No database."""

import copy
import json

import pytest

from compliance.catalog import (
    SHIPPED_CATALOGS_DIR,
    CatalogError,
    catalog_counts,
    load_catalog_file,
    shipped_catalog_paths,
    validate_catalog,
)

# Items per level, as published (and as listed in compliance/catalogs/README.md).
EXPECTED_COUNTS = {
    "nist-csf-2.0.json": {0: 6, 1: 22, 2: 106},
    "nist-sp-800-171-r3.json": {0: 17, 1: 97},
    "nist-sp-800-53-r5-low.json": {0: 18, 1: 131, 2: 18},
    "hipaa-security-rule.json": {0: 5, 1: 22, 2: 43},
}


def _load(name):
    return load_catalog_file(SHIPPED_CATALOGS_DIR / name)


# --- the shipped files -------------------------------------------------------------------------


def test_the_four_catalogs_are_shipped_inside_the_package():
    assert SHIPPED_CATALOGS_DIR.name == "catalogs"
    assert SHIPPED_CATALOGS_DIR.parent.name == "compliance"
    assert [path.name for path in shipped_catalog_paths()] == sorted(EXPECTED_COUNTS)


@pytest.mark.parametrize("path", shipped_catalog_paths(), ids=lambda path: path.name)
def test_every_shipped_catalog_validates(path):
    data = load_catalog_file(path)
    assert validate_catalog(data) == []
    assert data["slug"] == path.stem.replace(".", "-")


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_counts_per_level_match_the_readme(name):
    assert catalog_counts(_load(name)) == EXPECTED_COUNTS[name]


def test_the_readme_lists_the_same_counts():
    readme = (SHIPPED_CATALOGS_DIR / "README.md").read_text(encoding="utf-8")
    for name, counts in EXPECTED_COUNTS.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}`"))
        assert "/".join(str(n) for n in counts.values()) in row, name


def test_hipaa_required_and_addressable_specifications():
    items = _load("hipaa-security-rule.json")["requirements"]
    specs = [item for item in items if item["level"] == 2]
    safeguards = [item for item in specs if item["ref"].split("(")[0] in {"164.308", "164.310", "164.312"}]
    organizational = [item for item in specs if item["ref"].split("(")[0] in {"164.314", "164.316"}]

    # Appendix A to Subpart C: 36 specifications in 164.308-164.312, 14 Required and 22 Addressable.
    assert len(safeguards) == 36
    assert sum(item["required"] is True for item in safeguards) == 14
    assert sum(item["required"] is False for item in safeguards) == 22
    # 164.314 and 164.316: every specification is Required.
    assert len(organizational) == 7
    assert all(item["required"] is True for item in organizational)
    # The flag agrees with the designation printed after each title, and every standard is mandatory.
    assert all(item["designation"] == ("Required" if item["required"] else "Addressable") for item in specs)
    assert all(item["required"] is True for item in items if item["level"] == 1)


def test_hipaa_spot_checks_against_the_cfr():
    by_ref = {item["ref"]: item for item in _load("hipaa-security-rule.json")["requirements"]}
    assert by_ref["164.312(a)(2)(iv)"]["required"] is False  # Encryption and decryption (Addressable)
    assert by_ref["164.312(a)(2)(i)"]["required"] is True  # Unique user identification (Required)
    assert by_ref["164.308(a)(3)(ii)(B)"]["required"] is False  # Addressable in the section text
    assert by_ref["164.308(a)(4)(ii)(B)"]["text"].startswith(
        "Implement policies and procedures for granting access to electronic protected health information, "
        "for example, through access to a workstation, transaction, program, process, or other mechanism."
    )


def test_hipaa_records_its_verification():
    data = _load("hipaa-security-rule.json")
    verified = data["verified"]
    assert verified["date"] == "2026-11-26"
    assert verified["against"] and all(address.startswith("http") for address in verified["against"])
    assert isinstance(verified["differences_fixed"], list)
    assert verified["not_verified"]


# --- the validator on broken catalogs ------------------------------------------------------------


def _catalog():
    return {
        "slug": "test-framework",
        "name": "Test framework",
        "version": "1.0",
        "publisher": "Nobody",
        "source": "https://example.com/framework",
        "license": "Public domain",
        "requirements": [
            {"ref": "GV", "title": "Govern", "text": "", "parent": None, "level": 0, "order": 1},
            {"ref": "GV.OC", "title": "Context", "text": "", "parent": "GV", "level": 1, "order": 2},
            {
                "ref": "GV.OC-01",
                "title": "Mission",
                "text": "Known.",
                "parent": "GV.OC",
                "level": 2,
                "order": 3,
            },
            {"ref": "ID", "title": "Identify", "text": "", "parent": None, "level": 0, "order": 4},
            {"ref": "ID.AM", "title": "Assets", "text": "", "parent": "ID", "level": 1, "order": 5},
        ],
    }


def test_a_well_formed_catalog_has_no_problems():
    data = _catalog()
    data["requirements"][2]["weight"] = "high"
    data["requirements"][2]["required"] = False
    assert validate_catalog(data) == []
    assert catalog_counts(data) == {0: 2, 1: 2, 2: 1}


def test_duplicate_ref():
    data = _catalog()
    data["requirements"][4]["ref"] = "GV.OC"
    assert validate_catalog(data) == [
        'requirements[4] (ref "GV.OC"): duplicate ref, already used by requirements[1]'
    ]


def test_missing_parent():
    data = _catalog()
    data["requirements"][2]["parent"] = "GV.XX"
    assert validate_catalog(data) == [
        'requirements[2] (ref "GV.OC-01"): parent "GV.XX" does not exist earlier in the file'
    ]


def test_parent_later_in_the_file_counts_as_missing():
    data = _catalog()
    data["requirements"][1]["parent"] = "ID"
    assert validate_catalog(data) == [
        'requirements[1] (ref "GV.OC"): parent "ID" does not exist earlier in the file'
    ]


def test_parent_at_the_wrong_level():
    data = _catalog()
    data["requirements"][2]["parent"] = "GV"
    assert validate_catalog(data) == [
        'requirements[2] (ref "GV.OC-01"): parent "GV" is at level 0; a level 2 item needs a parent at level 1'
    ]


def test_parent_must_be_null_at_level_0_and_set_below_it():
    data = _catalog()
    data["requirements"][0]["parent"] = "ID"
    data["requirements"][1]["parent"] = None
    assert validate_catalog(data) == [
        'requirements[0] (ref "GV"): parent must be null at level 0, not "ID"',
        'requirements[1] (ref "GV.OC"): parent is null but level is 1; only level 0 items have no parent',
    ]


def test_bad_order():
    data = _catalog()
    data["requirements"][3]["order"] = 3  # duplicate; 4 is then missing
    data["requirements"][4]["order"] = 9  # out of range; 5 is then missing
    assert validate_catalog(data) == [
        'requirements[3] (ref "ID"): order 3 is already used by requirements[2]',
        'requirements[4] (ref "ID.AM"): order 9 is outside 1..5',
        "requirements: order must run 1..5; missing 4, 5",
    ]


def test_order_and_level_must_be_integers():
    data = _catalog()
    data["requirements"][0]["order"] = "1"
    data["requirements"][3]["level"] = -1
    data["requirements"][4]["level"] = True
    problems = validate_catalog(data)
    assert 'requirements[0] (ref "GV"): "order" must be an integer, not "1"' in problems
    assert 'requirements[3] (ref "ID"): "level" must be an integer >= 0, not -1' in problems
    assert 'requirements[4] (ref "ID.AM"): "level" must be an integer >= 0, not true' in problems
    assert "requirements: order must run 1..5; missing 1" in problems


def test_bad_weight_and_required():
    data = _catalog()
    data["requirements"][2]["weight"] = "critical"
    data["requirements"][3]["required"] = "yes"
    assert validate_catalog(data) == [
        'requirements[2] (ref "GV.OC-01"): "weight" must be one of high, medium, low, not "critical"',
        'requirements[3] (ref "ID"): "required" must be true or false, not "yes"',
    ]


def test_missing_top_level_key_and_bad_slug():
    data = _catalog()
    del data["license"]
    data["slug"] = "Test Framework"
    assert validate_catalog(data) == [
        'missing required key "license"',
        'slug "Test Framework" does not match ^[a-z0-9][a-z0-9-]{1,58}$',
    ]


def test_requirements_must_be_a_non_empty_list():
    data = _catalog()
    data["requirements"] = []
    assert validate_catalog(data) == ['"requirements" must not be empty']
    data["requirements"] = {"ref": "GV"}
    assert validate_catalog(data) == ['"requirements" must be a list, not an object']
    del data["requirements"]
    assert validate_catalog(data) == ['missing required key "requirements"']


def test_item_fields():
    data = _catalog()
    data["requirements"][0]["ref"] = ""
    data["requirements"][1]["ref"] = "X" * 61
    data["requirements"][2]["title"] = " "
    data["requirements"][3]["text"] = None
    del data["requirements"][4]["parent"]
    data["requirements"].append("not an item")
    problems = validate_catalog(data)
    assert 'requirements[0]: "ref" must be a non-empty string' in problems
    assert (
        f'requirements[1] (ref "{"X" * 61}"): "ref" is 61 characters long; at most 60 are allowed' in problems
    )
    assert 'requirements[2] (ref "GV.OC-01"): "title" must be a non-empty string' in problems
    assert 'requirements[3] (ref "ID"): "text" must be a string, not null' in problems
    assert 'requirements[4] (ref "ID.AM"): missing "parent" (use null at level 0)' in problems
    assert "requirements[5]: must be a JSON object, not a string" in problems
    assert "requirements: order must run 1..6; missing 6" in problems


def test_every_problem_in_the_file_is_reported_at_once():
    data = _catalog()
    del data["version"]
    data["requirements"][1]["weight"] = "urgent"
    data["requirements"][2]["parent"] = "GV.XX"
    data["requirements"][4]["ref"] = "GV"
    assert validate_catalog(data) == [
        'missing required key "version"',
        'requirements[1] (ref "GV.OC"): "weight" must be one of high, medium, low, not "urgent"',
        'requirements[2] (ref "GV.OC-01"): parent "GV.XX" does not exist earlier in the file',
        'requirements[4] (ref "GV"): duplicate ref, already used by requirements[0]',
    ]


def test_validate_does_not_change_the_catalog():
    data = _catalog()
    before = copy.deepcopy(data)
    validate_catalog(data)
    assert data == before


def test_a_catalog_that_is_not_an_object():
    assert validate_catalog([]) == ["the catalog must be a JSON object, not a list"]


# --- loading files ---------------------------------------------------------------------------------


def test_load_a_file(tmp_path):
    path = tmp_path / "test-framework.json"
    path.write_text(json.dumps(_catalog()), encoding="utf-8")
    assert load_catalog_file(path) == _catalog()
    assert load_catalog_file(str(path)) == _catalog()


def test_a_file_that_is_not_json_raises_catalog_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"slug": "broken",\n  "name": }', encoding="utf-8")
    with pytest.raises(CatalogError) as excinfo:
        load_catalog_file(path)
    assert str(path) in str(excinfo.value)
    assert "not valid JSON" in str(excinfo.value)
    assert "line 2" in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


def test_a_json_file_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CatalogError, match="the top level must be a JSON object, not a list") as excinfo:
        load_catalog_file(path)
    assert str(path) in str(excinfo.value)


def test_a_missing_or_undecodable_file(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(CatalogError, match="cannot read the file") as excinfo:
        load_catalog_file(missing)
    assert str(missing) in str(excinfo.value)

    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "Sécurité"}'.encode("latin-1"))
    with pytest.raises(CatalogError, match="not UTF-8 text") as excinfo:
        load_catalog_file(latin1)
    assert str(latin1) in str(excinfo.value)
