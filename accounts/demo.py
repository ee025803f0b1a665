"""Demo parties and the accounts of shared/CONTRACT.md. Idempotent: natural keys only."""

import datetime as dt

from accounts.models import Authorisation, Contact, Organisation, User
from core.demo_files import pdf_file
from core.timezone import local_today

DEMO_PASSWORD = "customs-demo-2024"

HOLDERS = {
    "A": {
        "name_en": "Beijing Pop Mart Cultural & Creative Co., Ltd.",
        "name_zh": "北京泡泡玛特文化创意有限公司",
        "country": "CN",
        "registration_id": "91110105MA0000DEMO",
        "address": "Chaoyang District, Beijing",
        "contacts": [
            ("legal", False, "Li Na", "legal@holder-a.example.cn"),
            ("legal", True, "Wang Fang", "legal.backup@holder-a.example.cn"),
            ("technical", False, "Zhang Wei", "brand@holder-a.example.cn"),
            ("technical", True, "Liu Yang", "brand.backup@holder-a.example.cn"),
        ],
    },
    "B": {
        "name_en": "Nordkap Outdoor AG",
        "name_zh": "诺德卡普户外股份公司",
        "country": "CH",
        "registration_id": "CHE-000.000.001",
        "address": "Bahnhofstrasse 1, 8001 Zürich, Switzerland",
        "contacts": [
            ("legal", False, "Anna Keller", "legal@holder-b.example.ch"),
            ("legal", True, "Marc Frei", "legal.backup@holder-b.example.ch"),
            ("technical", False, "Sara Meier", "brand@holder-b.example.ch"),
            ("technical", True, "Jonas Huber", "brand.backup@holder-b.example.ch"),
        ],
    },
}

AGENCIES = {
    "A": {
        "name_en": "Huaxia IP Agency Co., Ltd.",
        "name_zh": "华夏知识产权代理有限公司",
        "registration_id": "91310000MA0000AGNT",
        "address": "Pudong New Area, Shanghai",
    },
    "B": {
        "name_en": "Jinqiao Trademark Agency Co., Ltd.",
        "name_zh": "金桥商标代理有限公司",
        "registration_id": "91440300MA0000AGNB",
        "address": "Futian District, Shenzhen",
    },
}

# username → (organisation lookup, is_staff, names)
ACCOUNTS = {
    "officer.gacc": ({"customs_code": "0000"}, True, ("Chen", "Jing")),
    "officer.ningbo": ({"customs_code": "3100"}, True, ("Zhou", "Ming")),
    "officer.shenzhen": ({"customs_code": "5300"}, True, ("Huang", "Lei")),
    "holder.a": ({"registration_id": HOLDERS["A"]["registration_id"]}, False, ("Li", "Na")),
    "holder.b": ({"registration_id": HOLDERS["B"]["registration_id"]}, False, ("Anna", "Keller")),
    "agent.a": ({"registration_id": AGENCIES["A"]["registration_id"]}, False, ("Sun", "Hao")),
    # Beyond the contract: holder B (foreign) files through agency B (R3).
    "agent.b": ({"registration_id": AGENCIES["B"]["registration_id"]}, False, ("Zhao", "Lin")),
}


def seed() -> dict:
    holders = {}
    for key, data in HOLDERS.items():
        data = dict(data)
        contacts = data.pop("contacts")
        holder, _ = Organisation.objects.get_or_create(
            kind=Organisation.Kind.RIGHTS_HOLDER,
            registration_id=data["registration_id"],
            defaults=data,
        )
        for role, is_backup, name, email in contacts:
            Contact.objects.get_or_create(
                organisation=holder,
                role=role,
                is_backup=is_backup,
                defaults={"name": name, "email": email, "phone": "+86 10 0000 0000"},
            )
        holders[key] = holder
    agencies = {}
    for key, data in AGENCIES.items():
        agencies[key], _ = Organisation.objects.get_or_create(
            kind=Organisation.Kind.IP_AGENCY,
            registration_id=data["registration_id"],
            defaults={**data, "country": "CN"},
        )
    # Agent A acts for holder A only; holder B (foreign, R3) files through agency B. The
    # powers of attorney date from 2024 and run to the end of the year after next, so
    # the agents act for their holders whatever day the demo is loaded.
    for key in ("A", "B"):
        if not Authorisation.objects.filter(agency=agencies[key], holder=holders[key]).exists():
            Authorisation.objects.create(
                agency=agencies[key],
                holder=holders[key],
                starts_on=dt.date(2024, 1, 1),
                ends_on=dt.date(local_today().year + 2, 12, 31),
                document=pdf_file(f"power-of-attorney-{key.lower()}.pdf", "Power of attorney"),
                document_content_type="application/pdf",
            )
    users = {}
    for username, (lookup, is_staff, (first, last)) in ACCOUNTS.items():
        organisation = Organisation.objects.get(**lookup)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organisation": organisation,
                "is_staff": is_staff,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example.cn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return {"holders": holders, "agencies": agencies, "users": users}


def holders() -> dict[str, Organisation]:
    """The demo's rights holders, "A" and "B", once seeded."""
    by_id = {h["registration_id"]: key for key, h in HOLDERS.items()}
    found = Organisation.objects.filter(registration_id__in=by_id)
    return {by_id[holder.registration_id]: holder for holder in found}


def check() -> list[str]:
    """What the demo promises of its accounts, today: everyone signs in with the demo
    password, and agent.a acts for holder A only."""
    problems = []
    users = {user.username: user for user in User.objects.filter(username__in=ACCOUNTS)}
    for username in ACCOUNTS:
        user = users.get(username)
        if user is None or not user.check_password(DEMO_PASSWORD):
            problems.append(f"{username} cannot sign in with the demo password")
    if "agent.a" in users:
        acts_for = set(
            Authorisation.objects.active()
            .filter(agency_id=users["agent.a"].organisation_id)
            .values_list("holder__registration_id", flat=True)
        )
        if acts_for != {HOLDERS["A"]["registration_id"]}:
            problems.append("agent.a does not act for holder A, and holder A only, today")
    return problems
