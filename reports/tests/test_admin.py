"""The statistics page of the admin (issue 7): who may open it, the form and its errors,
the exact figures of a known dataset (2024 against 2023, see test_report.data), the SVG
charts, the link in the admin index, and the demo data."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from accounts.models import Organisation
from accounts.tests.factories import PASSWORD, UserFactory
from core.timezone import local_today
from detentions.models import Detention
from reports.tests.test_report import data  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/admin/reports/statistics/"


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def officer(parties, who="gacc"):
    return login(parties["users"][who])


def figures(response):
    """The headline table as the page shows it: name -> (this period, year before, change)."""
    return {
        f["name"]: (f["current"], f["previous"], f["change"]) for f in response.context["figures"]
    }


def split(response, name):
    """A split's table: label -> the cells (current, previous, change) of each measure."""
    rows = next(s for s in response.context["splits"] if s["name"] == name)["rows"]
    return {
        row["label"]: [(c["current"], c["previous"], c["change"]) for c in row["cells"]]
        for row in rows
    }


def svg(response, chart_id):
    html = response.content.decode()
    match = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match, chart_id
    return match.group(0)


def errors(response):
    return {name: [str(e) for e in errs] for name, errs in response.context["form"].errors.items()}


# --- who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("gacc", 200),
        ("ningbo", 200),
        ("shenzhen", 200),
        ("holder_a", 302),  # not staff: the admin's login page
        ("agent_a", 302),
        (None, 302),
    ],
)
def test_only_officers_open_the_statistics(parties, who, status):
    client = officer(parties, who) if who else Client()
    response = client.get(URL, {"year": 2024})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["holder_a", "agent_a"])
def test_a_holder_or_agent_marked_staff_by_mistake_is_refused(parties, who):
    user = parties["users"][who]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    response = login(user).get(URL, {"year": 2024})
    assert response.status_code == 403
    assert "Statistics" not in login(user).get("/admin/").content.decode()


def test_a_platform_superuser_opens_the_statistics(parties):
    admin_user = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    response = login(admin_user).get(URL, {"year": 2024})
    assert response.status_code == 200
    assert len(response.context["form"].fields["office"].queryset) > 2  # every district


def test_the_admin_index_and_sidebar_link_to_the_statistics(parties):
    html = officer(parties).get("/admin/").content.decode()
    assert f'<a href="{URL}">Statistics</a>' in html
    page = officer(parties).get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Statistics</a>' in page  # the sidebar


# --- the period and the scope -----------------------------------------------------------------


def test_the_default_is_the_current_year_national(parties):
    response = officer(parties).get(URL)
    assert response.status_code == 200
    year = local_today().year
    assert response.context["report"]["period"] == {
        "from": local_today().replace(month=1, day=1),
        "to": local_today().replace(month=12, day=31),
    }
    assert (response.context["period_label"], response.context["previous_label"]) == (
        str(year),
        str(year - 1),
    )
    assert response.context["scope_label"] == "National"
    assert f'value="{year}"' in response.content.decode()


def test_a_scope_alone_is_for_the_current_year(data):  # noqa: F811
    response = officer(data).get(URL, {"office": data["ningbo"].pk})
    assert response.context["period_label"] == str(local_today().year)
    assert response.context["scope_label"] == "Ningbo Customs"


def test_exact_national_figures_of_2024_against_2023(data):  # noqa: F811
    response = officer(data).get(URL, {"year": 2024})
    assert figures(response) == {
        "protection_actions": ("5", "2", "+150.00%"),
        "batches": ("4", "2", "+100.00%"),
        "items": ("1,167", "60", "+1845.00%"),
        "value": ("22,300.00", "600.00", "+3616.67%"),
        "batches_exempted": ("1", "0", "\u2013"),
        "items_exempted": ("1,000", "0", "\u2013"),
        "referrals": ("2", "0", "\u2013"),
        "referrals_accepted": ("1", "0", "\u2013"),
        "recordal_applications": ("3", "2", "+50.00%"),
        "recordal_applications_domestic": ("2", "1", "+100.00%"),
        "recordal_applications_foreign": ("1", "1", "0.00%"),
        "recordals_approved": ("3", "1", "+200.00%"),
        "recordals_approved_domestic": ("1", "1", "0.00%"),
        "recordals_approved_foreign": ("2", "0", "\u2013"),
    }
    html = response.content.decode()
    assert re.search(
        r'<tr class="figure-items">\s*<th scope="row">Items detained</th>\s*'
        r'<td class="num current">1,167</td>\s*<td class="num previous">60</td>\s*'
        r'<td class="num change up">\+1845.00%</td>',
        html,
    )
    assert re.search(r"2024\s+\(2024-01-01 &ndash; 2024-12-31\),\s+compared with 2023", html)


def test_exact_split_tables_of_2024(data):  # noqa: F811
    response = officer(data).get(URL, {"year": 2024})
    # actions, batches, items, value: (2024, 2023, change)
    assert split(response, "channel") == {
        "Express": [
            ("2", "1", "+100.00%"),
            ("2", "1", "+100.00%"),
            ("157", "40", "+292.50%"),
            ("2,200.00", "400.00", "+450.00%"),
        ],
        "General trade": [
            ("2", "0", "\u2013"),
            ("1", "0", "\u2013"),
            ("1,000", "0", "\u2013"),
            ("20,000.00", "0.00", "\u2013"),
        ],
        "Postal": [
            ("1", "1", "0.00%"),
            ("1", "1", "0.00%"),
            ("10", "20", "-50.00%"),
            ("100.00", "200.00", "-50.00%"),
        ],
    }
    assert [(label, cells[1]) for label, cells in split(response, "district").items()] == [
        ("Ningbo Customs", ("3", "1", "+200.00%")),
        ("Shenzhen Customs", ("1", "1", "0.00%")),
    ]
    assert list(split(response, "region")) == ["Belt and Road", "No focus region", "Africa"]
    html = response.content.decode()
    assert html.count('<div class="split module"') == 9  # one table per split
    assert "a batch counts in every focus region its destination belongs to" in html


def test_a_quarter(data):  # noqa: F811
    response = officer(data).get(URL, {"year": 2024, "quarter": 1})
    assert response.context["report"]["period"]["to"].isoformat() == "2024-03-31"
    assert (response.context["period_label"], response.context["previous_label"]) == (
        "2024 Q1",
        "2023 Q1",
    )
    assert figures(response)["protection_actions"] == ("4", "1", "+300.00%")
    assert len(response.context["report"]["monthly"]) == 3


def test_any_dates_replace_the_year(data):  # noqa: F811
    response = officer(data).get(
        URL, {"year": 2020, "starts_on": "2023-01-01", "ends_on": "2024-12-31"}
    )
    assert figures(response)["protection_actions"] == ("7", "3", "+133.33%")
    assert response.context["period_label"] == "2023-01-01 \u2013 2024-12-31"
    assert response.context["previous_label"] == "2022-01-01 \u2013 2023-12-31"


def test_a_district_scope_counts_its_own_cases_and_no_recordals(data):  # noqa: F811
    response = officer(data).get(URL, {"year": 2024, "office": data["shenzhen"].pk})
    assert response.context["scope_label"] == "Shenzhen Customs"
    result = figures(response)
    assert result["items"] == ("7", "20", "-65.00%")
    assert result["protection_actions"] == ("1", "1", "0.00%")
    assert "recordal_applications" not in result
    assert "counted nationally, not per district" in response.content.decode()


def test_an_empty_year_shows_zeros_and_empty_charts(parties):
    response = officer(parties).get(URL, {"year": 2031})
    assert response.status_code == 200
    assert figures(response)["batches"] == ("0", "0", "\u2013")
    assert "No data for this period." in svg(response, "chart-channel")
    assert svg(response, "chart-monthly").count("<circle") == 24  # two lines of zeros


# --- district officers ------------------------------------------------------------------------


def test_a_district_officer_sees_national_and_its_own_district(data):  # noqa: F811
    client = officer(data, "ningbo")
    national = client.get(URL, {"year": 2024})
    assert figures(national)["protection_actions"] == ("5", "2", "+150.00%")
    assert list(national.context["form"].fields["office"].queryset) == [data["ningbo"]]
    own = client.get(URL, {"year": 2024, "office": data["ningbo"].pk})
    assert own.context["scope_label"] == "Ningbo Customs"
    assert figures(own)["protection_actions"] == ("4", "1", "+300.00%")


def test_a_district_officer_may_not_see_another_district(data):  # noqa: F811
    response = officer(data, "ningbo").get(URL, {"year": 2024, "office": data["shenzhen"].pk})
    assert response.status_code == 200
    assert "office" in errors(response)
    assert "report" not in response.context
    assert "Shenzhen Customs" not in response.content.decode()


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "99999999999999999999"}, "year"),
        ({"year": ""}, "year"),
        ({"year": "2024", "quarter": "5"}, "quarter"),
        ({"year": "2024", "quarter": "x"}, "quarter"),
        ({"starts_on": "2024-01-01"}, "ends_on"),
        ({"ends_on": "2024-01-01"}, "starts_on"),
        ({"starts_on": "2024-13-01", "ends_on": "2024-12-31"}, "starts_on"),
        ({"starts_on": "0001-01-01", "ends_on": "2024-12-31"}, "starts_on"),
        ({"starts_on": "2024-06-01", "ends_on": "2024-05-31"}, "ends_on"),
        ({"starts_on": "2000-01-01", "ends_on": "2024-12-31"}, "ends_on"),
        ({"year": "2024", "office": "999999"}, "office"),
        ({"year": "2024", "office": "abc"}, "office"),
    ],
)
def test_bad_input_shows_the_form_errors(parties, params, field):
    response = officer(parties).get(URL, params)
    assert response.status_code == 200
    assert field in errors(response)
    assert "report" not in response.context
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert '<ul class="errorlist' in html


def test_the_gacc_office_is_no_district_scope(parties):
    response = officer(parties).get(URL, {"year": 2024, "office": parties["gacc"].pk})
    assert "office" in errors(response)


# --- the charts -------------------------------------------------------------------------------


def test_the_charts_draw_batches_this_year_beside_the_year_before(data):  # noqa: F811
    response = officer(data).get(URL, {"year": 2024})
    html = response.content.decode()
    for name in ("ip_kind", "channel", "district", "category", "region", "outcome"):
        assert f'id="chart-{name}"' in html
    assert "<script" not in html.split('id="content-main"')[1]  # no JavaScript drawing
    kinds = svg(response, "chart-ip_kind")
    assert kinds.count('<rect class="bar"') == 6  # trademark, copyright, patent x 2 years
    assert "<title>Trademark, 2024: 2 Batches</title>" in kinds
    assert "<title>Trademark, 2023: 2 Batches</title>" in kinds
    assert "<title>Patent, 2023: 0 Batches</title>" in kinds
    assert '<title id="chart-ip_kind-title">Batches by kind of right</title>' in kinds
    outcomes = svg(response, "chart-outcome")
    assert outcomes.count('<rect class="bar"') == 8
    assert "<title>Held under a court order, 2024: 1 Batches</title>" in outcomes
    assert ">2024</text>" in outcomes and ">2023</text>" in outcomes  # the legend
    monthly = svg(response, "chart-monthly")
    assert monthly.count("<circle") == 24
    assert monthly.count("<polyline") == 2
    assert "<title>Feb, 2024: 2 Batches</title>" in monthly
    assert "<title>Jun, 2023: 1 Batches</title>" in monthly


# --- the demo ---------------------------------------------------------------------------------


def test_the_page_shows_the_demo_figures(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    gacc = Organisation.objects.get(customs_code="0000").users.get(username="officer.gacc")
    client = Client()
    client.force_login(gacc)
    detained = Detention.objects.filter(opened_on__year=2024, detained_on__isnull=False)
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200
    result = figures(response)
    assert result["batches"][0] == f"{detained.count():,}"
    assert result["items"][0] == f"{detained.aggregate(n=Sum('total_items'))['n']:,}"
    assert "Market procurement" in split(response, "channel")  # the LABUBU case
    assert "Copyright" in svg(response, "chart-ip_kind")
    assert "Ningbo Customs" in svg(response, "chart-district")
    # This year's live cases; the Ningbo officer's own district.
    assert client.get(URL).status_code == 200
    ningbo = Organisation.objects.get(customs_code="3100")
    client.force_login(ningbo.users.get(username="officer.ningbo"))
    own = client.get(URL, {"year": 2024, "office": ningbo.pk})
    assert own.status_code == 200
    assert own.context["scope_label"] == "Ningbo Customs"
    assert figures(own)["batches"][0] == f"{detained.filter(office=ningbo).count():,}"


def test_the_page_links_to_the_same_report_as_csv_and_excel(data):  # noqa: F811
    client = officer(data, "ningbo")
    page = client.get(URL, {"year": 2024, "office": data["ningbo"].pk})
    csv_url, xlsx_url = (url for _label, url in page.context["exports"])
    assert csv_url == (
        "/api/v1/statistics/?from=2024-01-01&to=2024-12-31&scope=district&office=3100&format=csv"
    )
    assert f'href="{csv_url.replace("&", "&amp;")}"' in page.content.decode()
    download = client.get(csv_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "figures,protection_actions,Protection actions,actions,4,1,300.00" in (
        download.content.decode()
    )
    assert client.get(xlsx_url).status_code == 200
