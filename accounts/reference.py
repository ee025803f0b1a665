"""Reference data every installation needs: the GACC, the 42 district customs, their ports.

Loaded by a data migration and re-runnable (`manage.py load_customs_offices`): offices
are matched by customs code and ports by (office, English name), so edits made in the
admin to other fields survive and nothing is duplicated.
"""

import json
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "customs_offices.json"


def load_customs_offices(organisation_model, port_model) -> tuple[int, int]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    offices = [(data["gacc"], "gacc")] + [(d, "district") for d in data["districts"]]
    office_count = port_count = 0
    for entry, level in offices:
        office, _ = organisation_model.objects.get_or_create(
            customs_code=entry["code"],
            defaults={
                "kind": "customs",
                "customs_level": level,
                "name_en": entry["name_en"],
                "name_zh": entry["name_zh"],
                "country": "CN",
            },
        )
        office_count += 1
        for name_en, name_zh in entry.get("ports", []):
            port_model.objects.get_or_create(
                office_id=office.pk, name_en=name_en, defaults={"name_zh": name_zh}
            )
            port_count += 1
    return office_count, port_count
