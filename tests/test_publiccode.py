"""publiccode.yml has the keys the Italian reuse catalogue requires."""

from pathlib import Path

import yaml

REQUIRED = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
]


def test_publiccode_yml_is_complete():
    data = yaml.safe_load(
        (Path(__file__).parent.parent / "publiccode.yml").read_text(encoding="utf-8")
    )
    for key in REQUIRED:
        assert key in data, key
    for lang in ("it", "en"):
        assert len(data["description"][lang]["shortDescription"]) <= 150
        assert data["description"][lang]["features"]
    assert data["legal"]["license"] == "AGPL-3.0-or-later"
    assert set(data["localisation"]["availableLanguages"]) == {"it", "en"}
