import pytest

from classifier.categories import (
    LEVELS,
    CategoryFileError,
    load_categories,
    parse_categories,
)

CODES = [
    "drainage",
    "greening",
    "elderly_care",
    "building_safety",
    "heating",
    "property_mgmt",
    "sanitation",
    "parking",
    "road_traffic",
    "animals",
    "noise",
    "utilities",
    "lighting",
    "elevator",
    "security_fraud",
    "dispute",
    "illegal_building",
    "fire_safety",
    "employment",
    "health",
    "other",
]


def test_all_categories_present_with_level_and_deadline():
    cats = load_categories()
    assert tuple(cats) == tuple(CODES)
    for c in cats.values():
        assert c.name_zh and c.level in LEVELS and c.deadline_hours > 0


def test_bad_level_is_reported_with_line(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text(
        "code,name_zh,level,deadline_hours,keywords\nother,其他,village,24,\n",
        encoding="utf-8",
    )
    with pytest.raises(CategoryFileError, match=":2:"):
        parse_categories(p)
