"""Crisis resources: the shipped list, the operator's file, the page and the country setting."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.checks import CheckMessage
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from confide.accounts.forms import ProfileForm
from confide.accounts.models import User
from confide.safety.checks import check_safety_data
from confide.safety.resources import (
    SafetyDataError,
    directory,
    load_directory,
    project_resources,
    resources_for,
)

CRISIS = reverse("core:crisis")
SPAIN = """
[[country]]
code = "ES"
name = "Spain"
emergency = "112"

[[country.service]]
name = "Test line ES"
kind = "crisis"
phone = "024"
hours = "24/7"
last_verified = 2026-01-02

[[country]]
code = "DE"
name = "Germany"
emergency = "112"

[[country.service]]
name = "Operator line DE"
kind = "crisis"
phone = "0800 000 000"
hours = "9 to 5"
last_verified = 2026-01-03
"""


@pytest.fixture
def no_override(settings: Settings, tmp_path: Path) -> None:
    settings.CONFIDE_RESOURCES_FILE = ""
    settings.DATA_DIR = tmp_path


def _override(settings: Settings, tmp_path: Path, content: str) -> Path:
    path = tmp_path / "resources.toml"
    path.write_text(content, encoding="utf-8")
    settings.CONFIDE_RESOURCES_FILE = str(path)
    return path


@pytest.mark.usefixtures("no_override")
def test_shipped_list_has_countries_and_an_international_directory() -> None:
    countries, international = project_resources()
    assert {"US", "GB", "IE", "AU", "CA", "DE", "FR", "NL", "NZ"} <= set(countries)
    assert international.services
    for place in [*countries.values(), international]:
        for service in place.services:
            assert service.phone or service.text or service.web
            assert isinstance(service.last_verified, datetime.date)
    assert countries["US"].crisis_services[0].phone == "988"
    assert countries["GB"].crisis_services[0].phone == "116 123"


def test_operator_file_replaces_and_adds_countries(settings: Settings, tmp_path: Path) -> None:
    _override(settings, tmp_path, SPAIN)
    current = directory()
    germany = current.get("DE")
    assert germany is not None
    assert [service.name for service in germany.services] == ["Operator line DE"]
    assert current.get("ES") is not None
    us = current.get("US")
    assert us is not None
    assert us.crisis_services[0].phone == "988"  # untouched


def test_operator_file_in_the_data_folder_is_used(settings: Settings, tmp_path: Path) -> None:
    settings.CONFIDE_RESOURCES_FILE = ""
    settings.DATA_DIR = tmp_path
    (tmp_path / "resources.toml").write_text(SPAIN, encoding="utf-8")
    assert directory().get("ES") is not None


def test_operator_file_can_replace_the_international_entry(
    settings: Settings, tmp_path: Path
) -> None:
    _override(
        settings,
        tmp_path,
        "[international]\nname = 'World'\nemergency = '112'\n[[international.service]]\n"
        "name = 'Our directory'\nkind = 'crisis'\nweb = 'https://example.org/help'\n"
        "hours = 'any time'\nlast_verified = 2026-05-05\n",
    )
    assert directory().international.services[0].name == "Our directory"


SERVICE = "name = 'X'\nkind = 'crisis'\nphone = '1'\nhours = '24/7'\nlast_verified = 2026-01-01\n"
BAD_OVERRIDES = [
    pytest.param("[[country]]\ncode = 'germany'\n", "code 'germany'", id="code"),
    pytest.param(
        "[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n",
        "missing key(s) ['service']",
        id="no-service",
    ),
    pytest.param(
        "[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n[[country.service]]\n"
        + SERVICE.replace("crisis", "sadness"),
        "country 'DE' service #1: kind 'sadness'",
        id="kind",
    ),
    pytest.param(
        "[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n[[country.service]]\n"
        + SERVICE.replace("phone = '1'", "web = 'http://x.example'"),
        "must be an https:// address",
        id="web",
    ),
    pytest.param(
        "[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n[[country.service]]\n"
        + SERVICE.replace("phone = '1'\n", ""),
        "at least one of phone, text and web",
        id="no-contact",
    ),
    pytest.param(
        "[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n[[country.service]]\n"
        + SERVICE.replace("2026-01-01", "'last week'"),
        "last_verified must be a date",
        id="date",
    ),
    pytest.param(
        ("[[country]]\ncode = 'DE'\nname = 'G'\nemergency = '112'\n[[country.service]]\n" + SERVICE)
        * 2,
        "the same code appears twice",
        id="duplicate",
    ),
    pytest.param("[countries]\n", "unknown top-level key(s) ['countries']", id="top-level"),
    pytest.param("", "expected [[country]] tables", id="empty"),
    pytest.param("[[country]\n", "not valid TOML", id="toml"),
]


@pytest.mark.parametrize(("content", "problem"), BAD_OVERRIDES)
def test_bad_operator_file_is_named_and_explained(
    settings: Settings, tmp_path: Path, content: str, problem: str
) -> None:
    path = _override(settings, tmp_path, content)
    with pytest.raises(SafetyDataError) as raised:
        load_directory(path)
    assert problem in str(raised.value)
    assert "resources.toml" in str(raised.value)


def test_bad_operator_file_falls_back_and_is_reported_by_check(
    settings: Settings, tmp_path: Path
) -> None:
    _override(settings, tmp_path, "[[country]]\ncode = 'germany'\n")
    germany = directory().get("DE")
    assert germany is not None
    assert germany.crisis_services[0].name == "TelefonSeelsorge"
    (problem,) = _errors()
    assert problem.id == "safety.E002"
    assert "code 'germany'" in problem.msg


def _errors() -> list[CheckMessage]:
    """The check's errors; whether the model loads (safety.W001) is tested in test_classifier."""
    return [problem for problem in check_safety_data() if problem.id != "safety.W001"]


@pytest.mark.usefixtures("no_override")
def test_check_is_quiet_when_all_is_well() -> None:
    assert _errors() == []


@pytest.mark.usefixtures("no_override")
def test_resources_for_unknown_or_malformed_country_is_not_known() -> None:
    assert resources_for("de").country is not None
    assert resources_for("XX").country is None
    assert resources_for("XX").requested == "XX"
    assert resources_for("DEU").country is None
    assert resources_for("").country is None


# --- pages ---------------------------------------------------------------------------------------


def _first_section(html: str) -> str:
    near = html.index("<h2>Near you</h2>")
    start = html.index('aria-labelledby="resources-', near)
    return html[start : html.index('"', start + 28)]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
def test_person_with_country_sees_it_first(client: Client, alex: User) -> None:
    alex.country = "DE"
    alex.save(update_fields=["country"])
    client.force_login(alex)
    html = client.get(CRISIS).content.decode()
    assert _first_section(html) == 'aria-labelledby="resources-de'
    assert "TelefonSeelsorge" in html
    assert "Samaritans" in html  # the whole directory is below
    assert "Last checked on 22 November 2026" in html
    assert "Leaving quickly" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
def test_anonymous_visitor_chooses_a_country(client: Client) -> None:
    html = client.get(CRISIS, {"country": "NZ"}).content.decode()
    assert _first_section(html) == 'aria-labelledby="resources-nz'
    assert '<option value="NZ" selected>' in html
    assert not client.cookies


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
@pytest.mark.parametrize("query", [{"country": "XX"}, {"country": "<script>"}, {}])
def test_unknown_country_shows_the_international_directory_first(
    client: Client, query: dict[str, str]
) -> None:
    response = client.get(CRISIS, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert _first_section(html) == 'aria-labelledby="resources-intl'
    assert "Befrienders Worldwide" in html
    assert "<script>" not in html.split("<main", 1)[1]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
def test_signed_in_person_can_look_at_another_country(client: Client, alex: User) -> None:
    alex.country = "DE"
    alex.save(update_fields=["country"])
    client.force_login(alex)
    html = client.get(CRISIS, {"country": "FR"}).content.decode()
    assert _first_section(html) == 'aria-labelledby="resources-fr'


@pytest.mark.usefixtures("no_override")
def test_crisis_panel_shows_the_viewers_lines_compactly() -> None:
    html = render_to_string("safety/partials.html#crisis_panel", {"crisis": resources_for("GB")})
    assert "Samaritans" in html
    assert "999 or 112" in html
    assert "?country=GB" in html
    fallback = render_to_string("safety/partials.html#crisis_panel", {"crisis": resources_for("")})
    assert "Befrienders Worldwide" in fallback


# --- the country setting -------------------------------------------------------------------------


def _profile(**change: str) -> dict[str, str]:
    return {"display_name": "Alex", "time_zone": "UTC", "locale": "en", "country": "DE", **change}


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
@pytest.mark.parametrize("country", ["DE", "US", ""])
def test_profile_form_accepts_listed_countries_and_other(alex: User, country: str) -> None:
    form = ProfileForm(_profile(country=country), instance=alex)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == country


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
@pytest.mark.parametrize("country", ["XX", "de", "Germany", "DEU"])
def test_profile_form_refuses_unknown_countries(alex: User, country: str) -> None:
    form = ProfileForm(_profile(country=country), instance=alex)
    assert not form.is_valid()
    assert "country" in form.errors


@pytest.mark.django_db
@pytest.mark.usefixtures("no_override")
def test_settings_page_saves_the_country(client: Client, alex: User) -> None:
    client.force_login(alex)
    response = client.post(reverse("accounts:settings"), _profile(country="AU"))
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.country == "AU"
    html = client.get(CRISIS).content.decode()
    assert _first_section(html) == 'aria-labelledby="resources-au'
