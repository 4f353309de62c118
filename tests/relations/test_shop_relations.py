"""The shop sample's keys: every key defect its manifest lists is found with its exact count, and
nothing else is said of its relationships (events keep their customers)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, run_audit

KEY_CHECKS = ("orphan_rows", "duplicate_parent_keys", "child_before_parent", "declared_key_violated")


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return run_audit(SAMPLES / "shop", tmp_path_factory.mktemp("shop") / "out")


def manifest_id(defect):
    parts = [defect["table"], defect["column"], defect["check"]]
    return "/".join(parts + ([defect["subject"]] if defect.get("subject") else []))


def test_every_key_defect_of_the_manifest_is_found_with_its_count(document):
    manifest = json.loads((SAMPLES / "manifests" / "shop.json").read_text(encoding="utf-8"))
    defects = {manifest_id(d): d["count"] for d in manifest["defects"] if d["check"] in KEY_CHECKS + ("not_unique",)}
    assert set(defects) >= {"orders.csv/customer_id/orphan_rows/customers.xlsx:customers",
                            "customers.xlsx:customers/customer_id/duplicate_parent_keys/orders.csv",
                            "customers.xlsx:customers/customer_id/not_unique",
                            "orders.csv/customer_id/child_before_parent/customers.xlsx:customers"}
    found = {f["id"]: f["count"] for f in document["findings"] if f["check"] in KEY_CHECKS + ("not_unique",)}
    assert found == defects  # no more, no fewer: events.jsonl keeps every key and follows every signup


def test_the_join_coverage_of_the_orders(document):
    manifest = json.loads((SAMPLES / "manifests" / "shop.json").read_text(encoding="utf-8"))
    orphans = next(d["count"] for d in manifest["defects"] if d["check"] == "orphan_rows")
    coverage = document["relations"]["coverage"]
    assert coverage["table"] == "orders.csv" and coverage["rows"] == 2500
    assert coverage["surviving"] == 2500 - orphans
    assert coverage["lost_by"] == {"customers.xlsx:customers": orphans}
