"""Crisis and abuse support lines by country, from ``data/resources.toml`` and an operator file.

The project file ships a handful of countries that we checked ourselves and an international
directory. An operator can put a file in the same format at ``$CONFIDE_DATA_DIR/resources.toml``
(or at the path in the ``CONFIDE_RESOURCES_FILE`` setting): each of its countries replaces the
project's entry for that country code, new codes are added, and an ``[international]`` table
replaces the international entry.

The crisis page must never fail: a broken operator file is reported by ``confide check`` (and
logged, without its content) and the project's own data is used until it is fixed.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from confide.safety.rules import DATA_DIR, SafetyDataError, load_toml

logger = logging.getLogger(__name__)

RESOURCES_FILE: Final = "resources.toml"
KINDS: Final = ("crisis", "abuse")
KIND_LABELS: Final[dict[str, StrOrPromise]] = {
    "crisis": _("Crisis and suicide support"),
    "abuse": _("Support with relationship abuse"),
}
# Names shown for the countries we ship, so that they can be translated; an operator's new
# country shows the name from their file.
COUNTRY_NAMES: Final[dict[str, StrOrPromise]] = {
    "AU": _("Australia"),
    "CA": _("Canada"),
    "DE": _("Germany"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "NL": _("Netherlands"),
    "NZ": _("New Zealand"),
    "US": _("United States"),
}
MAX_FIELD: Final = 120
_CODE = re.compile(r"[A-Z]{2}")
_TEL = re.compile(r"\+?[0-9][0-9 -]*")
_COUNTRY_KEYS: Final = frozenset({"code", "name", "emergency", "service"})
_INTERNATIONAL_KEYS: Final = frozenset({"name", "emergency", "service"})
_SERVICE_KEYS: Final = frozenset({"name", "kind", "phone", "text", "web", "hours", "last_verified"})
_CONTACT_KEYS: Final = ("phone", "text", "web")


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    kind: str
    phone: str
    text: str
    web: str
    hours: str
    last_verified: datetime.date

    @property
    def kind_label(self) -> StrOrPromise:
        return KIND_LABELS[self.kind]

    @property
    def tel(self) -> str:
        """The number for a tel: link, or "" when the phone field is more than one number."""
        return self.phone.replace(" ", "").replace("-", "") if _TEL.fullmatch(self.phone) else ""


@dataclass(frozen=True, slots=True)
class CountryResources:
    code: str  # "" for the international directory
    name: str
    emergency: str
    services: tuple[Service, ...]

    @property
    def display_name(self) -> StrOrPromise:
        return COUNTRY_NAMES.get(self.code, self.name)

    @property
    def last_verified(self) -> datetime.date:
        """The oldest check among its services: how fresh the whole entry is, at worst."""
        return min(service.last_verified for service in self.services)

    def of_kind(self, kind: str) -> tuple[Service, ...]:
        return tuple(service for service in self.services if service.kind == kind)

    @property
    def crisis_services(self) -> tuple[Service, ...]:
        return self.of_kind("crisis")

    @property
    def abuse_services(self) -> tuple[Service, ...]:
        return self.of_kind("abuse")


@dataclass(frozen=True, slots=True)
class Directory:
    countries: tuple[CountryResources, ...]  # ordered by display name
    international: CountryResources

    def get(self, code: str) -> CountryResources | None:
        code = code.strip().upper()
        return next((country for country in self.countries if country.code == code), None)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(country.code for country in self.countries)


# --- validation ----------------------------------------------------------------------------------


def _text(entry: Mapping[str, Any], key: str, source: str, where: str, *, required: bool) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise SafetyDataError(source, f"{key} must be a string", where)
    if required and not value.strip():
        raise SafetyDataError(source, f"{key} must not be empty", where)
    if value != value.strip() or "\n" in value:
        raise SafetyDataError(source, f"{key} must be one line without surrounding spaces", where)
    if len(value) > MAX_FIELD:
        raise SafetyDataError(source, f"{key} is longer than {MAX_FIELD} characters", where)
    return value


def _service(entry: object, source: str, where: str) -> Service:
    if not isinstance(entry, Mapping):
        raise SafetyDataError(source, "must be a table", where)
    missing = sorted({"name", "kind", "hours", "last_verified"} - set(entry))
    unknown = sorted(set(entry) - _SERVICE_KEYS)
    if missing or unknown:
        raise SafetyDataError(source, f"missing key(s) {missing}, unknown key(s) {unknown}", where)
    if entry["kind"] not in KINDS:
        raise SafetyDataError(source, f"kind {entry['kind']!r} must be one of {list(KINDS)}", where)
    verified = entry["last_verified"]
    if isinstance(verified, datetime.datetime) or not isinstance(verified, datetime.date):
        raise SafetyDataError(source, "last_verified must be a date like 2026-11-22", where)
    contacts = {key: _text(entry, key, source, where, required=False) for key in _CONTACT_KEYS}
    if not any(contacts.values()):
        raise SafetyDataError(source, "give at least one of phone, text and web", where)
    web = contacts["web"]
    if web and (not web.startswith("https://") or " " in web):
        raise SafetyDataError(source, f"web {web!r} must be an https:// address", where)
    return Service(
        name=_text(entry, "name", source, where, required=True),
        kind=entry["kind"],
        hours=_text(entry, "hours", source, where, required=True),
        last_verified=verified,
        **contacts,
    )


def _country(
    entry: object, source: str, where: str, allowed: frozenset[str], code: str
) -> CountryResources:
    if not isinstance(entry, Mapping):
        raise SafetyDataError(source, "must be a table", where)
    missing = sorted((allowed - {"code"}) - set(entry))
    unknown = sorted(set(entry) - allowed)
    if missing or unknown:
        raise SafetyDataError(source, f"missing key(s) {missing}, unknown key(s) {unknown}", where)
    services = entry["service"]
    if not isinstance(services, list) or not services:
        raise SafetyDataError(source, "expected at least one [[...service]] table", where)
    return CountryResources(
        code=code,
        name=_text(entry, "name", source, where, required=True),
        emergency=_text(entry, "emergency", source, where, required=True),
        services=tuple(
            _service(service, source, f"{where} service #{number}")
            for number, service in enumerate(services, start=1)
        ),
    )


def validate_resources(
    data: Mapping[str, Any], source: str, *, override: bool = False
) -> tuple[dict[str, CountryResources], CountryResources | None]:
    """Check a parsed resources file; returns its countries by code and its international entry.

    The project file must have both; an operator's override may have either or both.
    """
    unknown = sorted(set(data) - {"country", "international"})
    if unknown:
        raise SafetyDataError(source, f"unknown top-level key(s) {unknown}")
    if not override and ("international" not in data or "country" not in data):
        raise SafetyDataError(source, "expected an [international] table and [[country]] tables")
    if override and not data:
        raise SafetyDataError(source, "expected [[country]] tables or an [international] table")
    international = None
    if "international" in data:
        international = _country(
            data["international"], source, "[international]", _INTERNATIONAL_KEYS, ""
        )
    entries = data.get("country", [])
    if not isinstance(entries, list):
        raise SafetyDataError(source, "country must be [[country]] tables")
    countries: dict[str, CountryResources] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"country #{number}"
        code = entry.get("code") if isinstance(entry, Mapping) else None
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise SafetyDataError(
                source, f"code {code!r} must be an ISO 3166 alpha-2 code such as 'DE'", where
            )
        where = f"country {code!r}"
        if code in countries:
            raise SafetyDataError(source, "the same code appears twice", where)
        countries[code] = _country(entry, source, where, _COUNTRY_KEYS, code)
    return countries, international


# --- loading -------------------------------------------------------------------------------------


@cache
def project_resources() -> tuple[dict[str, CountryResources], CountryResources]:
    countries, international = validate_resources(
        load_toml(DATA_DIR / RESOURCES_FILE), RESOURCES_FILE
    )
    assert international is not None  # noqa: S101 - validate_resources requires it here
    return countries, international


def override_path() -> Path | None:
    """The operator's file, if one is configured or present in the data folder."""
    configured = getattr(settings, "CONFIDE_RESOURCES_FILE", "")
    if configured:
        return Path(configured)
    candidate = Path(settings.DATA_DIR) / RESOURCES_FILE
    return candidate if candidate.exists() else None


def load_directory(override: Path | None) -> Directory:
    """The project's data with the operator's file applied; raises SafetyDataError if it is bad."""
    countries, international = project_resources()
    merged = dict(countries)
    if override is not None:
        data = load_toml(override)
        extra, replacement = validate_resources(data, str(override), override=True)
        merged.update(extra)
        international = replacement or international
    ordered = sorted(merged.values(), key=lambda country: str(country.display_name))
    return Directory(countries=tuple(ordered), international=international)


@cache
def _directory_cached(path: str, mtime_ns: int, size: int) -> Directory:
    # The file's identity is in the key, so an operator's edit is picked up without a restart.
    return load_directory(Path(path) if path else None)


def directory() -> Directory:
    """The directory to show. A broken operator file falls back to the project's own data."""
    path = override_path()
    try:
        if path is None:
            return _directory_cached("", 0, 0)
        stat = path.stat()
        return _directory_cached(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, SafetyDataError) as error:
        # Only the path and the problem are logged, never the file's content.
        logger.error("crisis resources override ignored: %s", error)
        return load_directory(None)


def override_problem() -> str | None:
    """What is wrong with the operator's file, for ``confide check``; None when all is well."""
    path = override_path()
    if path is None:
        return None
    try:
        load_directory(path)
    except SafetyDataError as error:
        return str(error)
    except OSError as error:
        return f"{path}: cannot read the file: {error.strerror or error}"
    return None


# --- for pages -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ViewerResources:
    """What to show one viewer: their country (if we know it) first, then everything else."""

    country: CountryResources | None
    requested: str
    directory: Directory

    @property
    def international(self) -> CountryResources:
        return self.directory.international

    @property
    def others(self) -> tuple[CountryResources, ...]:
        return tuple(c for c in self.directory.countries if c is not self.country)


def resources_for(country_code: str) -> ViewerResources:
    """Resources for a country code (any case; blank or unknown means "not known")."""
    current = directory()
    code = country_code.strip().upper()
    if not _CODE.fullmatch(code):
        code = ""
    country = current.get(code) if code else None
    return ViewerResources(country=country, requested=code, directory=current)


def country_choices() -> list[tuple[str, StrOrPromise]]:
    """Choices for a country select: the countries we have lines for, then "Other"."""
    choices: list[tuple[str, StrOrPromise]] = [
        (country.code, country.display_name) for country in directory().countries
    ]
    choices.append(("", _("Other / not listed")))
    return choices
