"""/api/v1/statistics/: the report as JSON for a period (from/to, a year, a quarter) and a
scope, every validation error (400, never a 500), and who may ask what, as a table."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from reports.selectors import report
from reports.tests.test_report import data  # noqa: F401 (the dataset with known totals)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
URL = "/api/v1/statistics/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def gacc(parties):
    return client_for(parties["users"]["gacc"])


def fig(current, previous, change):
    return {"current": current, "previous": previous, "change_pct": change}


def test_national_year_as_json(data, gacc):  # noqa: F811
    response = gacc.get(URL, {"from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert body["previous_period"] == {"from": "2023-01-01", "to": "2023-12-31"}
    assert body["scope"] == {"kind": "national", "id": None, "name": "National"}
    assert body["figures"] == {
        "protection_actions": fig(5, 2, "150.00"),
        "batches": fig(4, 2, "100.00"),
        "items": fig(1167, 60, "1845.00"),
        "value": fig("22300.00", "600.00", "3616.67"),
        "batches_exempted": fig(1, 0, None),
        "items_exempted": fig(1000, 0, None),
        "referrals": fig(2, 0, None),
        "referrals_accepted": fig(1, 0, None),
        "recordal_applications": fig(3, 2, "50.00"),
        "recordal_applications_domestic": fig(2, 1, "100.00"),
        "recordal_applications_foreign": fig(1, 1, "0.00"),
        "recordals_approved": fig(3, 1, "200.00"),
        "recordals_approved_domestic": fig(1, 1, "0.00"),
        "recordals_approved_foreign": fig(2, 0, None),
    }
    # Every figure the report computes is in the answer.
    assert list(body["figures"]) == list(
        report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))["figures"]
    )
    assert list(body["splits"]) == [
        "ip_kind",
        "direction",
        "mode",
        "channel",
        "district",
        "category",
        "region",
        "holder_country",
        "outcome",
    ]
    assert body["splits"]["ip_kind"] == [
        {
            "key": "trademark",
            "label": "Trademark",
            "actions": fig(3, 2, "50.00"),
            "batches": fig(2, 2, "0.00"),
            "items": fig(1150, 60, "1816.67"),
            "value": fig("21500.00", "600.00", "3483.33"),
        },
        {
            "key": "copyright",
            "label": "Copyright",
            "actions": fig(1, 0, None),
            "batches": fig(1, 0, None),
            "items": fig(10, 0, None),
            "value": fig("100.00", "0.00", None),
        },
        {
            "key": "patent",
            "label": "Patent",
            "actions": fig(1, 0, None),
            "batches": fig(1, 0, None),
            "items": fig(7, 0, None),
            "value": fig("700.00", "0.00", None),
        },
    ]
    assert [(r["key"], r["label"], r["batches"]) for r in body["splits"]["district"]] == [
        ("3100", "Ningbo Customs", fig(3, 1, "200.00")),
        ("5300", "Shenzhen Customs", fig(1, 1, "0.00")),
    ]
    assert [m["month"] for m in body["monthly"]] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert body["monthly"][0] == {
        "month": "2024-01",
        "actions": fig(1, 1, "0.00"),
        "batches": fig(1, 1, "0.00"),
        "items": fig(150, 40, "275.00"),
        "value": fig("1500.00", "400.00", "275.00"),
    }
    assert body["monthly"][3]["value"] == fig("0.00", "0.00", None)


def test_year_parameter_is_the_calendar_year(data, gacc):  # noqa: F811
    by_dates = gacc.get(URL, {"from": "2024-01-01", "to": "2024-12-31"}).json()
    by_year = gacc.get(URL, {"year": 2024})
    assert by_year.status_code == 200
    assert by_year.json() == by_dates


def test_quarter_parameter(data, gacc):  # noqa: F811
    response = gacc.get(URL, {"year": 2024, "quarter": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2024-01-01", "to": "2024-03-31"}
    assert body["previous_period"] == {"from": "2023-01-01", "to": "2023-03-31"}
    assert body["figures"] == {
        "protection_actions": fig(4, 1, "300.00"),
        "batches": fig(3, 1, "200.00"),
        "items": fig(1160, 40, "2800.00"),
        "value": fig("21600.00", "400.00", "5300.00"),
        "batches_exempted": fig(1, 0, None),
        "items_exempted": fig(1000, 0, None),
        "referrals": fig(1, 0, None),
        "referrals_accepted": fig(1, 0, None),
        "recordal_applications": fig(1, 1, "0.00"),
        "recordal_applications_domestic": fig(1, 1, "0.00"),
        "recordal_applications_foreign": fig(0, 0, None),
        "recordals_approved": fig(1, 1, "0.00"),
        "recordals_approved_domestic": fig(0, 1, "-100.00"),
        "recordals_approved_foreign": fig(1, 0, None),
    }
    assert [m["month"] for m in body["monthly"]] == ["2024-01", "2024-02", "2024-03"]
    q4 = gacc.get(URL, {"year": 2024, "quarter": 4}).json()
    assert q4["period"] == {"from": "2024-10-01", "to": "2024-12-31"}
    assert q4["figures"]["protection_actions"] == fig(1, 0, None)


def test_district_scope_by_customs_code_or_id(data, gacc):  # noqa: F811
    shenzhen = data["shenzhen"]
    by_code = gacc.get(URL, {"year": 2024, "scope": "district", "office": "5300"})
    assert by_code.status_code == 200
    body = by_code.json()
    assert body["scope"] == {"kind": "district", "id": shenzhen.pk, "name": "Shenzhen Customs"}
    assert body["figures"]["protection_actions"] == fig(1, 1, "0.00")
    assert body["figures"]["items"] == fig(7, 20, "-65.00")
    assert "recordal_applications" not in body["figures"]
    by_id = gacc.get(URL, {"year": 2024, "office": shenzhen.pk})  # scope follows office
    assert by_id.json() == body


def test_holder_scope(data, gacc):  # noqa: F811
    b = data["holder_b"]
    response = gacc.get(URL, {"year": 2024, "scope": "holder", "holder": b.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"kind": "holder", "id": b.pk, "name": "Holder B"}
    assert body["figures"]["protection_actions"] == fig(2, 1, "100.00")
    assert body["figures"]["value"] == fig("20000.00", "200.00", "9900.00")
    assert body["figures"]["recordals_approved"] == fig(2, 0, None)


def test_a_holder_user_gets_its_own_report_by_default(data):  # noqa: F811
    response = client_for(data["users"]["holder_b"]).get(URL, {"year": 2024})
    assert response.status_code == 200
    assert response.json()["scope"] == {
        "kind": "holder",
        "id": data["holder_b"].pk,
        "name": "Holder B",
    }
    assert response.json()["figures"]["protection_actions"] == fig(2, 1, "100.00")


def test_the_browsable_api_renders_the_report(parties, gacc):
    response = gacc.get(URL, {"year": 2024, "format": "api"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_an_empty_period_has_no_change(parties, gacc):
    body = gacc.get(URL, {"year": 2030}).json()
    assert body["figures"]["protection_actions"] == fig(0, 0, None)
    assert body["figures"]["value"] == fig("0.00", "0.00", None)
    assert all(rows == [] for rows in body["splits"].values())


def test_a_ten_year_period_is_the_longest(parties, gacc):
    assert gacc.get(URL, {"from": "2015-01-01", "to": "2024-12-31"}).status_code == 200
    response = gacc.get(URL, {"from": "2015-01-01", "to": "2025-01-01"})
    assert response.status_code == 400
    assert response.json() == {"to": ["The period may be at most 10 years long."]}


BAD_DATE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
REQUIRED = "Required (or give year)."


BAD_INPUT = {
    "no period": ({}, {"from": [REQUIRED], "to": [REQUIRED]}),
    "no to": ({"from": "2024-01-01"}, {"to": [REQUIRED]}),
    "no from": ({"to": "2024-01-01"}, {"from": [REQUIRED]}),
    "from not a date": ({"from": "2024-13-01", "to": "2024-12-31"}, {"from": [BAD_DATE]}),
    "to not ISO": ({"from": "2024-01-01", "to": "31/12/2024"}, {"to": [BAD_DATE]}),
    "empty dates": ({"from": "", "to": ""}, {"from": [REQUIRED], "to": [REQUIRED]}),
    "to before from": (
        {"from": "2024-12-31", "to": "2024-01-01"},
        {"to": ["Must be on or after from."]},
    ),
    "from too early": (
        {"from": "1899-12-31", "to": "1900-12-31"},
        {"from": ["Must be between 1900-01-01 and 2100-12-31."]},
    ),
    "to too late": (
        {"from": "2100-01-01", "to": "2101-01-01"},
        {"to": ["Must be between 1900-01-01 and 2100-12-31."]},
    ),
    "year 1": (
        {"from": "0001-01-01", "to": "0001-12-31"},
        {
            "from": ["Must be between 1900-01-01 and 2100-12-31."],
            "to": ["Must be between 1900-01-01 and 2100-12-31."],
        },
    ),
    "twenty-five years": (
        {"from": "2000-01-01", "to": "2024-12-31"},
        {"to": ["The period may be at most 10 years long."]},
    ),
    "quarter without year": ({"quarter": "3"}, {"quarter": ["Needs a year."]}),
    "quarter 5": (
        {"year": "2024", "quarter": "5"},
        {"quarter": ["Ensure this value is less than or equal to 4."]},
    ),
    "quarter 0": (
        {"year": "2024", "quarter": "0"},
        {"quarter": ["Ensure this value is greater than or equal to 1."]},
    ),
    "quarter not a number": (
        {"year": "2024", "quarter": "Q3"},
        {"quarter": ["A valid integer is required."]},
    ),
    "year not a number": ({"year": "twenty"}, {"year": ["A valid integer is required."]}),
    "year too early": (
        {"year": "1899"},
        {"year": ["Ensure this value is greater than or equal to 1900."]},
    ),
    "year huge": (
        {"year": "99999999999999999999999"},
        {"year": ["Ensure this value is less than or equal to 2100."]},
    ),
    "quarter and dates": (
        {"quarter": "1", "from": "2024-01-01", "to": "2024-12-31"},
        {"quarter": ["Give either year (and quarter) or from and to, not both."]},
    ),
    "year and dates": (
        {"year": "2024", "from": "2024-01-01", "to": "2024-12-31"},
        {"year": ["Give either year (and quarter) or from and to, not both."]},
    ),
    "unknown scope": (
        {"year": "2024", "scope": "galaxy"},
        {"scope": ['"galaxy" is not a valid choice.']},
    ),
    "district without office": (
        {"year": "2024", "scope": "district"},
        {"office": ["Required for scope=district: a customs code or id."]},
    ),
    "district with empty office": (
        {"year": "2024", "scope": "district", "office": ""},
        {"office": ["Required for scope=district: a customs code or id."]},
    ),
    "unknown office": (
        {"year": "2024", "scope": "district", "office": "9999"},
        {"office": ["No customs district '9999'."]},
    ),
    "GACC is not a district": (
        {"year": "2024", "scope": "district", "office": "0000"},
        {"office": ["No customs district '0000'."]},
    ),
    "office too long": (
        {"year": "2024", "scope": "district", "office": "99999999999999999999999"},
        {"office": ["Ensure this field has no more than 20 characters."]},
    ),
    "office by name": (
        {"year": "2024", "scope": "district", "office": "Ningbo"},
        {"office": ["No customs district 'Ningbo'."]},
    ),
    "holder scope without holder": (
        {"year": "2024", "scope": "holder"},
        {"holder": ["Required for scope=holder: a rights holder's id."]},
    ),
    "unknown holder": (
        {"year": "2024", "scope": "holder", "holder": "999999"},
        {"holder": ["No rights holder '999999'."]},
    ),
    "holder not a number": (
        {"year": "2024", "scope": "holder", "holder": "abc"},
        {"holder": ["A valid integer is required."]},
    ),
    "holder 0": (
        {"year": "2024", "scope": "holder", "holder": "0"},
        {"holder": ["Ensure this value is greater than or equal to 1."]},
    ),
    "holder beyond bigint": (
        {"year": "2024", "scope": "holder", "holder": "99999999999999999999"},
        {"holder": ["Ensure this value is less than or equal to 9223372036854775807."]},
    ),
    "office with national scope": (
        {"year": "2024", "scope": "national", "office": "3100"},
        {"office": ["Only with scope=district."]},
    ),
    "holder with district scope": (
        {"year": "2024", "scope": "district", "office": "3100", "holder": "1"},
        {"holder": ["Only with scope=holder."]},
    ),
    "unknown format": (
        {"year": "2024", "format": "pdf"},
        {"format": ["One of json, api, csv, xlsx."]},
    ),
    "csv asked, errors as JSON": (
        {"from": "2024-12-31", "to": "2024-01-01", "format": "csv"},
        {"to": ["Must be on or after from."]},
    ),
    "xlsx asked, errors as JSON": (
        {"year": "2024", "format": "xlsx", "scope": "galaxy"},
        {"scope": ['"galaxy" is not a valid choice.']},
    ),
}


@pytest.mark.parametrize("params, errors", BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_a_400_with_field_errors(parties, gacc, params, errors):
    response = gacc.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == errors


def test_a_holder_of_another_organisation_is_a_400_for_an_office(parties, gacc):
    response = gacc.get(URL, {"year": 2024, "holder": parties["ningbo"].pk})
    assert response.status_code == 400
    assert response.json() == {"holder": [f"No rights holder '{parties['ningbo'].pk}'."]}


# --- who may ask what ----------------------------------------------------------------------

ASKS = {
    "national": lambda p: {"scope": "national"},
    "district": lambda p: {"scope": "district", "office": "3100"},
    "holder A": lambda p: {"scope": "holder", "holder": p["holder_a"].pk},
    "holder B": lambda p: {"scope": "holder", "holder": p["holder_b"].pk},
}
PERMISSIONS = {
    # asks:         national, district 3100, holder A, holder B
    "gacc": (200, 200, 200, 200),
    "ningbo": (200, 200, 403, 403),
    "shenzhen": (200, 403, 403, 403),  # national figures are published ones
    "superuser": (200, 200, 200, 200),
    "holder_a": (403, 403, 200, 403),
    "holder_b": (403, 403, 403, 200),
    "agent_a": (403, 403, 200, 403),  # authorised by holder A only
    "agent_expired": (403, 403, 403, 403),  # its power of attorney ended in 2021
    "anonymous": (401, 401, 401, 401),
}


@pytest.mark.parametrize(
    "who, ask, expected",
    [
        (who, ask, codes[index])
        for who, codes in PERMISSIONS.items()
        for index, ask in enumerate(ASKS)
    ],
)
def test_permission_table(parties, who, ask, expected):
    users = {
        **parties["users"],
        "superuser": UserFactory(organisation=None, is_superuser=True, is_staff=True),
    }
    client = APIClient() if who == "anonymous" else client_for(users[who])
    response = client.get(URL, {"year": 2024, **ASKS[ask](parties)})
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["code"] == "not_permitted"


@pytest.mark.parametrize("who", ["holder_a", "agent_a", "agent_expired"])
def test_a_holder_that_does_not_exist_is_403_for_holders_and_agents(parties, who):
    """Non-officers learn nothing about other organisations' ids."""
    client = client_for(parties["users"][who])
    response = client.get(URL, {"year": 2024, "scope": "holder", "holder": 999999})
    assert response.status_code == 403


def test_the_scope_follows_the_office_or_holder_named(parties):
    """Without `scope`, naming an office asks for a district: refused to a holder's user."""
    holder_a = client_for(parties["users"]["holder_a"])
    assert holder_a.get(URL, {"year": 2024, "office": "3100"}).status_code == 403
    own = holder_a.get(URL, {"year": 2024, "holder": parties["holder_a"].pk})
    assert own.json()["scope"]["id"] == parties["holder_a"].pk


def test_an_agent_must_name_the_holder(parties):
    response = client_for(parties["users"]["agent_a"]).get(URL, {"year": 2024})
    assert response.status_code == 400
    assert response.json() == {"holder": ["Required for scope=holder: a rights holder's id."]}


@pytest.mark.parametrize(
    ("scope", "budget"), [({}, 12), ({"office": "3100"}, 8), ({"holder": "A"}, 8)]
)
def test_the_report_takes_a_handful_of_queries(
    data,  # noqa: F811
    gacc,
    django_assert_max_num_queries,
    scope,
    budget,
):
    """Five aggregate queries, two for labels, one to find the district or holder.
    National: the rollup's refresh (lock, marks, and here every month to recount: 4), its
    stale months and one rollup query instead of the three case queries."""
    if scope.get("holder"):
        scope = {"holder": data["holder_a"].pk}
    with django_assert_max_num_queries(budget):
        assert gacc.get(URL, {"year": 2024, **scope}).status_code == 200


def test_the_endpoint_is_in_the_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/statistics/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "from",
        "to",
        "year",
        "quarter",
        "scope",
        "office",
        "holder",
        "lang",
        "format",
    }
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    figures = schema["components"]["schemas"]["StatisticsFigures"]
    assert figures["required"] == [
        "batches",
        "batches_exempted",
        "items",
        "items_exempted",
        "protection_actions",
        "referrals",
        "referrals_accepted",
        "value",
    ]
