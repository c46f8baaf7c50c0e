"""Free-text time-zone answers as members write them, read whole: a zone is right when it gives
the member's UTC offset in January and in July."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.core import get_global
from babel.dates import get_timezone_name

from lib.intake import timezones

JANUARY, JULY = timezones.pattern_days()

# Answers from real forms and surveys, with a zone that has the member's offsets.
SPELLINGS = {
    # the wrong readings reported in issue 15
    "Central European Time": "Europe/Berlin",
    "China (CST)": "Asia/Shanghai",
    "Israel (IST)": "Asia/Jerusalem",
    "South Africa": "Africa/Johannesburg",
    "North Macedonia": "Europe/Skopje",
    "W. Europe Standard Time": "Europe/Berlin",
    "E. South America Standard Time": "America/Sao_Paulo",
    "PST (GMT-8)": "America/Los_Angeles",
    # IANA names in any case, with spaces or underscores, and old aliases
    "Europe/Istanbul": "Europe/Istanbul",
    "europe/berlin": "Europe/Berlin",
    "America/New York": "America/New_York",
    "america/sao_paulo": "America/Sao_Paulo",
    "Asia/Calcutta": "Asia/Kolkata",
    "Europe / London": "Europe/London",
    "US/Pacific": "America/Los_Angeles",
    "Asia/Kolkata (IST)": "Asia/Kolkata",
    "Africa/Lagos (WAT)": "Africa/Lagos",
    # offsets
    "GMT+5:30": "Asia/Kolkata",
    "UTC+5.5": "Asia/Kolkata",
    "+05:30": "Asia/Kolkata",
    "UTC-3": "Etc/GMT+3",
    "UTC +01:00": "Etc/GMT-1",
    "GMT +3": "Etc/GMT-3",
    "utc+8": "Etc/GMT-8",
    "GMT+5:45": "Asia/Kathmandu",
    "UTC+3:30": "Asia/Tehran",
    "UTC": "UTC",
    "GMT": "UTC",
    "GMT+1 / GMT+2 in summer": "Europe/Berlin",
    # offsets with a place or zone that says more
    "GMT+3 (Istanbul)": "Europe/Istanbul",
    "Berlin (UTC+1)": "Europe/Berlin",
    "UTC+2 Cairo": "Africa/Cairo",
    "GMT-3 Buenos Aires": "America/Argentina/Buenos_Aires",
    "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna": "Europe/Berlin",
    "(UTC-05:00) Eastern Time (US & Canada)": "America/New_York",
    "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi": "Asia/Kolkata",
    "UK, GMT": "Europe/London",
    # abbreviations the answer settles
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "CET/CEST": "Europe/Berlin",
    "MEZ": "Europe/Berlin",
    "EET": "Europe/Helsinki",
    "BST": "Europe/London",
    "GMT/BST": "Europe/London",
    "EST": "America/New_York",
    "EST/EDT": "America/New_York",
    "EDT": "America/New_York",
    "PDT": "America/Los_Angeles",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "MSK": "Europe/Moscow",
    "SAST": "Africa/Johannesburg",
    "AEDT": "Australia/Sydney",
    "India (IST)": "Asia/Kolkata",
    "IST - India": "Asia/Kolkata",
    "Ireland (IST)": "Europe/Dublin",
    "CST (China)": "Asia/Shanghai",
    "CST, Chicago": "America/Chicago",
    "US Central (CST)": "America/Chicago",
    "PST - Philippines": "Asia/Manila",
    "AEST - Brisbane": "Australia/Brisbane",
    "AEST Sydney": "Australia/Sydney",
    "MST (Arizona)": "America/Phoenix",
    "Canada EST": "America/Toronto",
    # CLDR display names in several languages
    "Pacific Time": "America/Los_Angeles",
    "Eastern Time": "America/New_York",
    "Mitteleuropäische Zeit": "Europe/Berlin",
    "Mitteleuropäische Normalzeit": "Europe/Berlin",
    "heure normale d’Europe centrale": "Europe/Paris",
    "Heure d'Europe centrale": "Europe/Paris",
    "Hora de Brasília": "America/Sao_Paulo",
    "Horário de Brasília": "America/Sao_Paulo",
    "Hora estándar de Argentina": "America/Argentina/Buenos_Aires",
    "hora de Europa central": "Europe/Madrid",
    "Orta Avrupa Saati": "Europe/Berlin",
    "Türkiye Saati": "Europe/Istanbul",
    "Osteuropäische Zeit": "Europe/Athens",
    "India Standard Time": "Asia/Kolkata",
    "Greenwich Mean Time (London)": "Europe/London",
    # countries
    "Germany": "Europe/Berlin",
    "Deutschland": "Europe/Berlin",
    "Türkiye": "Europe/Istanbul",
    "Turkey": "Europe/Istanbul",
    "Nigeria": "Africa/Lagos",
    "India": "Asia/Kolkata",
    "Pakistan": "Asia/Karachi",
    "Kenya": "Africa/Nairobi",
    "Egypt": "Africa/Cairo",
    "Argentina": "America/Argentina/Buenos_Aires",
    "China": "Asia/Shanghai",
    "Japan": "Asia/Tokyo",
    "UK": "Europe/London",
    "United Kingdom": "Europe/London",
    "England": "Europe/London",
    "Netherlands": "Europe/Amsterdam",
    "Brasil, Brasília": "America/Sao_Paulo",
    "Brazil - Sao Paulo": "America/Sao_Paulo",
    "Portugal": "Europe/Lisbon",
    "España": "Europe/Madrid",
    "Polska": "Europe/Warsaw",
    "Italia": "Europe/Rome",
    "Россия, Москва": "Europe/Moscow",
    # cities, capitals, states
    "Sao Paulo": "America/Sao_Paulo",
    "São Paulo": "America/Sao_Paulo",
    "München": "Europe/Berlin",
    "Munich": "Europe/Berlin",
    "Bangalore": "Asia/Kolkata",
    "Bengaluru, India": "Asia/Kolkata",
    "Istanbul": "Europe/Istanbul",
    "İstanbul, Türkiye": "Europe/Istanbul",
    "Ankara": "Europe/Istanbul",
    "new york": "America/New_York",
    "NYC": "America/New_York",
    "I'm in London": "Europe/London",
    "Lagos": "Africa/Lagos",
    "Lagos, Portugal": "Europe/Lisbon",
    "Split, Croatia": "Europe/Zagreb",
    "Wien": "Europe/Vienna",
    "Köln": "Europe/Berlin",
    "Zürich": "Europe/Zurich",
    "Toronto, Canada": "America/Toronto",
    "Vancouver BC": "America/Vancouver",
    "Seattle, WA": "America/Los_Angeles",
    "Austin, Texas": "America/Chicago",
    "Salt Lake City, UT": "America/Denver",
    "Seoul, Republic of Korea": "Asia/Seoul",
    "California": "America/Los_Angeles",
    "Nairobi": "Africa/Nairobi",
    "Cape Town": "Africa/Johannesburg",
    "Dubai": "Asia/Dubai",
    "Salvador, Bahia": "America/Bahia",
    "Granada, España": "Europe/Madrid",
    "Singapore": "Asia/Singapore",
    "Jakarta": "Asia/Jakarta",
    "Manila": "Asia/Manila",
    "Mexico City": "America/Mexico_City",
    "Bogotá": "America/Bogota",
    "Lima, Peru": "America/Lima",
    "Sydney, Australia": "Australia/Sydney",
    "Perth": "Australia/Perth",
    "Auckland": "Pacific/Auckland",
    "Tel Aviv": "Asia/Jerusalem",
    "Kyiv": "Europe/Kyiv",
    "Kiev": "Europe/Kyiv",
}

# Answers that must stay unknown: ambiguous, contradictory, or no place at all.
UNKNOWN = [
    "CST",
    "IST",
    "PST",
    "MST",
    "AEST",
    "EST/EDT or CET",
    "flexible",
    "USA",
    "United States",
    "Brazil",
    "Russia",
    "Australia",
    "Canada",
    "Europe",
    "Eastern Europe",
    "",
    "   ",
    "asdf",
    "moon",
    "somewhere nice",
    "Same as above",
    "any time after 6pm",
    "London or New York",
    "Berlin (UTC+5)",
    "Valencia",
    "Central Time",
    "UTC+15",
    "N/A",
    "same as us",
    "-",
    "Asia",  # a continent, and a small town in the Philippines
    "SF Bay Area",  # "Bay" is a Philippine town too; the rest of the answer is not read
    "Salvador",  # El Salvador in French, and a city of millions in Brazil
    "Granada",  # Grenada in Spanish, and a city in Spain
    "PET",  # Peru Time; "Pet" is one of Perth's names in the gazetteer, never a code
]


def _offsets(zone: str) -> tuple[float, float]:
    return tuple(ZoneInfo(zone).utcoffset(day).total_seconds() / 3600 for day in (JANUARY, JULY))


@pytest.mark.parametrize("answer, expected", SPELLINGS.items())
def test_answer_gives_the_members_offsets_in_january_and_july(answer, expected):
    zone = timezones.to_zone(answer)
    assert zone is not None, timezones.zone_or_reason(answer)[1]
    assert _offsets(zone) == _offsets(expected), f"{answer!r} -> {zone}, expected {expected}"


@pytest.mark.parametrize("answer", UNKNOWN)
def test_ambiguous_or_empty_answer_stays_unknown_with_a_reason(answer):
    zone, reason = timezones.zone_or_reason(answer)
    assert zone is None
    assert reason and answer.strip() in reason


def test_windows_zone_names_give_the_offsets_of_their_cldr_zone():
    mapping = get_global("windows_zone_mapping")
    names = sorted(mapping)[::2]  # every second of ~140, so about 70 names
    wrong = {n: timezones.to_zone(n) for n in names if _offsets(timezones.to_zone(n) or "UTC") != _offsets(mapping[n])}
    assert len(names) >= 60
    assert wrong == {}


@pytest.mark.parametrize("locale", ["de", "fr", "es", "pt", "tr"])
def test_cldr_zone_names_read_in_five_languages(locale):
    zones = ["Europe/Berlin", "Europe/London", "America/Sao_Paulo", "Asia/Tokyo", "Africa/Nairobi", "Europe/Moscow"]
    for zone in zones:
        for width in ("long",):
            name = get_timezone_name(ZoneInfo(zone), width=width, locale=locale)
            found = timezones.to_zone(name)
            assert found and _offsets(found) == _offsets(zone), f"{locale}: {name!r} -> {found}, expected {zone}"


def test_iana_aliases_are_stored_under_their_current_name():
    assert timezones.to_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert timezones.to_zone("Europe/Kiev") == "Europe/Kyiv"
    assert timezones.to_zone("asia/saigon") == "Asia/Ho_Chi_Minh"


def test_an_offset_alone_is_a_fixed_zone_but_an_abbreviation_keeps_summer_time():
    assert timezones.to_zone("GMT-8") == "Etc/GMT+8"
    assert _offsets(timezones.to_zone("PST (GMT-8)")) == (-8, -7)


def test_contradicting_answer_says_why():
    zone, reason = timezones.zone_or_reason("EST/EDT or CET")
    assert zone is None and "differ" in reason


def test_ambiguous_abbreviation_names_the_choices():
    zone, reason = timezones.zone_or_reason("IST")
    assert zone is None and "UTC+5.5" in reason and "city" in reason


def test_same_answer_is_read_once():
    timezones._zone_or_reason.cache_clear()
    for _ in range(1000):
        timezones.to_zone("Berlin, Germany")
    assert timezones._zone_or_reason.cache_info().hits == 999


def test_daytime_overlap_uses_the_day_given():
    day = datetime(2027, 1, 15, 12)
    assert timezones.offsets_apart("Europe/Berlin", "Asia/Kolkata", day) == 4.5
    assert timezones.shared_daytime(["Europe/Berlin", "Europe/Berlin"], day)[0, 1] == 14
