"""Free time and weekly budget from a form's answers: weekly slots in the member's LOCAL time, hours a week.

Pure functions, no database. Decisions (the README's import section points here):

- Slots are `{"day": "mon".."sun", "start": "HH:MM", "end": "HH:MM"}` in the member's own local time,
  merged per day and sorted Monday first; the end of the day is written "24:00", and a range that
  crosses midnight ("22:00-01:00") is split into the evening and the next day's early hours. Which
  zone they are in comes from the time-zone column: a zone word in an answer ("evenings CET") is ignored.
- Hours are read from what the member or the option label wrote (8:00-12:00, 8-12, 8am-12pm, 18h-22h,
  18.00–22.00, "de 8 a 12", "Mon-Wed after 19:00"). Where only a part of the day is named, the defaults
  are PERIODS below: morning 08-12, lunch 12-14, afternoon 12-18, evening 18-22, night and late
  evening 20-24, early morning 06-08, before work 07-09, business hours 09-17. Spanish "noche" and
  Portuguese "noite" are what those forms call the evening (18-22); "night"/"Nacht"/"nuit"/"gece"/
  "notte" is 20-24. "after H" runs to 22:00 (to 24:00 when H is 20 or later); "before H" starts at
  08:00 (two hours earlier when H is 10 or sooner); an hour without am/pm from 1 to 6 after
  "after"/"before" is read as afternoon ("after 6" is 18:00); a lone time ("Sat 10am") is one hour.
- "anytime", "flexible", "all day", "whenever" (and their translations) are 08:00-22:00 on the days
  named, every day when none is: the member said any waking hour suits them.
- Days named without hours are 08:00-22:00 on those days; hours named without days are every day.
  Inside one answer "Mon, Wed evenings" gives the evening to both days; across a "Days" column and a
  "Times" column (a Microsoft Forms or spreadsheet pair) every day is crossed with every time.
- In a column about one day (a grid row "[Monday]", or a column titled "Monday"), an answer without
  hours that says yes ("x", "Yes", "available", "Sí", "Oui", "Ja", "Evet") is the whole 08-22 day; any
  other answer without hours ("No", "busy", "-") adds nothing for that day.
- Nothing read (no answers, "not sure", "depends") is None: unknown, never "never free".
- Budget: hours a week from "1 hour", "90 min", "1h30", "1-2 hours", "an hour a fortnight",
  "2 horas por semana", "1 Stunde pro Woche", "30 dakika". A range keeps its LOWER end (what the
  member can surely give); every two weeks halves it, a month divides by 52/12, a day multiplies by 7.
  A ceiling without a floor ("up to 2 hours", "less than an hour"), no number, or more than 40 hours
  a week is None, never a guess that looks right. A bare number ("2") is hours when it is 12 or less.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WHOLE_DAY = (8 * 60, 22 * 60)
# Part-of-day words (folded: lower case, no accents) -> (start, end) in minutes; declared once.
PERIODS: dict[str, tuple[tuple[int, int], str]] = {
    "early": ((6 * 60, 8 * 60), r"early mornings?|temprano|de madrugada|fruh(morgens)?|tot sabah|sabah erken"),
    "before_work": (
        (7 * 60, 9 * 60),
        r"before work|antes del trabajo|antes do trabalho|avant le travail"
        r"|vor der arbeit|isten once|prima del lavoro",
    ),  # fmt: skip
    "business": (
        (9 * 60, 17 * 60),
        r"(business|office|working|work) hours|during the day|daytime"
        r"|horario (laboral|comercial|de (trabajo|trabalho|oficina))|heures de bureau|arbeitszeit|mesai"
        r"|orario (di lavoro|d'ufficio)",
    ),  # fmt: skip
    "night": ((20 * 60, 24 * 60), r"late (evenings?|nights?)|nights?|nuits?|nachts?|gece(leri)?|notte"),
    "evening": (
        (18 * 60, 22 * 60),
        r"evenings?|after work|noches?|noites?|soirs?|soirees?|abends?"
        r"|aksam(lari|ustu)?|sera|serata|despues del trabajo|depois do trabalho|apres le travail"
        r"|nach der arbeit|isten sonra|dopo il lavoro",
    ),  # fmt: skip
    "afternoon": (
        (12 * 60, 18 * 60),
        r"afternoons?|tardes?|apres-?midi|nachmittags?|ogleden sonra"
        r"|pomeriggio|pomeriggi",
    ),  # fmt: skip
    "lunch": (
        (12 * 60, 14 * 60),
        r"lunch(time| break)?|noon|midday|mediodia|almoco|midi|mittags?(pause)?"
        r"|ogle( arasi)?|pranzo",
    ),  # fmt: skip
    "morning": (
        (8 * 60, 12 * 60),
        r"mornings?|mananas?|manhas?|matin(ee)?s?|vormittags?|morgens|sabah(lari)?"
        r"|mattin[oa]|mattinata",
    ),  # fmt: skip
    "anytime": (
        _WHOLE_DAY,
        r"any ?time|all day|whole day|flexible|flexibel|esnek|whenever|any day"
        r"|cualquier (hora|momento|dia)|todo el dia|qualquer (hora|horario|momento|dia)|o dia (todo|inteiro)"
        r"|n'importe quand|toute la journee|jederzeit|den ganzen tag|her zaman|istedigim zaman|tum gun"
        r"|qualsiasi (ora|momento)|tutto il giorno|sempre",
    ),  # fmt: skip
}
# Day words: full names in English, Spanish, Portuguese, French, German, Turkish and Italian anywhere;
# the other abbreviations only as a whole answer or grid row ("Lun", "Mo"), where they cannot be a word.
_DAY_NAMES: dict[str, tuple[str, str]] = {
    "mon": (r"monday|mon|lunes|segunda(-feira)?|lundi|montag|pazartesi|lunedi", r"mo|lu|lun|seg|pzt|pts"),
    "tue": (r"tuesday|tues?|martes|terca(-feira)?|mardi|dienstag|sali|martedi", r"di|tu|ma|mar|ter|sal"),
    "wed": (
        r"wednesday|wed|miercoles|quarta(-feira)?|mercredi|mittwoch|carsamba|mercoledi",
        r"mi|we|me|mie|mier|qua|mer|car|crs",
    ),  # fmt: skip
    "thu": (
        r"thursday|thu|thur|thurs|jueves|quinta(-feira)?|jeudi|donnerstag|persembe|giovedi",
        r"do|th|ju|jue|qui|jeu|per|prs|gio",
    ),  # fmt: skip
    "fri": (r"friday|fri|viernes|sexta(-feira)?|vendredi|freitag|cuma|venerdi", r"fr|vi|vie|sex|ven|cum"),
    "sat": (r"saturday|sat|sabado|samedi|samstag|sonnabend|cumartesi|sabato", r"sa|sab|sam|cmt|cts"),
    "sun": (r"sunday|sun|domingo|dimanche|sonntag|pazar|domenica", r"so|su|dom|dim|paz"),
}
_GROUPS: dict[tuple[str, ...], str] = {
    DAYS[:5]: r"week ?days?|weekdays?|work ?days?|entre semana|dias (laborables|de semana|uteis|da semana)"
    r"|en semaine|jours de semaine|wochentags?|wochentage|werktags?|werktage|hafta ?ici|giorni feriali"
    r"|in settimana|durante la settimana",
    DAYS[5:]: r"week-?ends?|fines? de semana|fins? de semana|wochenendes?|hafta ?sonu|fine settimana",
    DAYS: r"every ?day|daily|each day|any day|all week|todos los dias|todos os dias|tous les jours"
    r"|jeden tag|taglich|her gun|ogni giorno|tutti i giorni",
}
_YES = re.compile(r"^(x|yes|y|available|free|ok|si|sim|oui|ja|evet|disponible|disponivel|libre|frei"
                  r"|verfugbar|musait|uygun|libero|disponibile|true|1|[✓✔☑])$")  # fmt: skip
_TIME = r"(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|hrs|hs|h)?(?![\d/])"
_RANGE = re.compile(rf"(?<![\d:.])(?:between |entre |zwischen |tra |fra )?{_TIME}\s*(?:-|to|till|until|a|al|as|ate"
                    rf"|au|bis|ile|alle|and|y|e|et|und|ve)\s*{_TIME}(?:\s*(?:arasi|uhr))?")  # fmt: skip
_AFTER = re.compile(rf"(?:after|from|since|starting|desde(?: las)?|a partir de(?: las)?|depois d[ao]s?|apres|des"
                    rf"|ab|nach|dopo(?: le)?|dalle)\s+{_TIME}|{_TIME}\s*'?(?:dan|den|tan|ten) (?:sonra|itibaren)")  # fmt: skip
_BEFORE = re.compile(rf"(?:before|until|till|antes de(?: las)?|antes d[ao]s?|avant|jusqu'a|vor|bis|prima delle"
                     rf"|entro le)\s+{_TIME}|{_TIME}\s*'?(?:dan|den|tan|ten|e|a|ye|ya) kadar")  # fmt: skip
_SINGLE = re.compile(r"(?<![\d:.])(?:at |a las |as |a |um |alle )?(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*"
                     r"(a\.?m\.?|p\.?m\.?|uhr|h)(?![a-z\d])|(?<![\d:.])(\d{1,2})[:.](\d{2})(?![\d])")  # fmt: skip
_ZONE = re.compile(r"\b(?:utc|gmt)\s*[+\-]\s*\d{1,2}(?::?\d{2})?")
_EXCEPT = re.compile(
    r"\b(?:except|but not|not on|excepto|menos|salvo|exceto|sauf|ausser|auser|haric|tranne|tranne il)\b"
)
_SEGMENTS = re.compile(r"[,;\n|]+")
_AND = re.compile(r"\s(?:and|y|e|et|und|ve|&|\+)\s")


def read_availability(answers: Sequence[tuple[str, str]]) -> list[dict] | None:
    """Weekly local slots from (column title, answer) pairs: grid rows, day columns, days + times, free text."""
    found: dict[str, list[tuple[int, int]]] = {}
    days_only: set[str] = set()
    times_only: list[tuple[int, int]] = []
    for title, text in answers:
        if not text or not text.strip():
            continue
        row = _row_of(title)
        clauses = _clauses(text)
        if row is None and clauses and all(d and not t for d, t in clauses):
            days_only.update(d for days, _ in clauses for d in days)
            continue
        if row is None and clauses and all(t and not d for d, t in clauses):
            times_only += [s for _, times in clauses for s in times]
            continue
        if row is not None and not clauses and _YES.match(_fold(text).strip(" .!")):
            clauses = (((), ()),)
        for days, times in clauses:
            _add(found, days or (row[0] if row else ()), times or (row[1] if row else ()))
    if days_only or times_only:
        _add(found, tuple(days_only), tuple(times_only))
    return _slots(found)


def parse_availability(text: str | None) -> list[dict] | None:
    """Weekly local slots from one free-text answer ("weekday evenings", "Sat mornings"); None when unknown."""
    return read_availability([("", text or "")])


def answers_text(answers: Sequence[tuple[str, str]]) -> str | None:
    """The answers as written: one answer alone, or 'Row: answer' lines for a grid or several columns."""
    given = [(title, text.strip()) for title, text in answers if text and text.strip()]
    if not given:
        return None
    if len(answers) == 1:
        return given[0][1]
    return "\n".join(f"{_row_label(title)}: {text}" for title, text in given)


def parse_budget(text: str | None) -> float | None:
    """Hours a week from a budget answer; a range keeps its lower end; None when it does not say."""
    folded = _fold(text or "").replace("½", ".5")
    if not folded.strip() or re.search(_CEILING, folded):
        return None
    folded = re.sub(_HALF_HOUR, " 0.5 h ", folded)
    amounts = [_amount(m) for m in _QUANTITY.finditer(folded)]
    if not amounts:
        bare = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(?:(?:-|to|a|bis)\s*\d+(?:[.,]\d+)?)?\s*\+?\s*", folded)
        amounts = (
            [float(bare.group(1).replace(",", "."))] if bare and float(bare.group(1).replace(",", ".")) <= 12 else []
        )
    if not amounts:
        return None
    hours = min(amounts) * _per_week(folded)
    return round(hours, 2) if 0 <= hours <= 40 else None


def row_words() -> str:
    """A pattern matching a column title that is only a day or a part of the day ("Monday", "Mornings")."""
    names = "|".join(full for full, _ in _DAY_NAMES.values())
    periods = "|".join(p for _, p in PERIODS.values())
    groups = "|".join(_GROUPS.values())
    return rf"^(?:{names}|{groups}|{periods})s?$"


_ROW = re.compile(row_words())
_CEILING = (
    r"less than|fewer than|under\b|up to\b|at most|max(imum)?\b|no more than|<|menos de|hasta\b|ate\b|como maximo"
    r"|no maximo|moins d[e']|jusqu'a|au plus|weniger als|bis zu|hochstens|maximal|en fazla|den az|meno di|fino a"
    r"|al massimo"
)
_HALF_HOUR = (
    r"\b(?:half an hour|half hour|half-hour|media hora|meia hora|(?:une )?demi-heure|(?:eine )?halbe stunde"
    r"|yarim saat|mezz'?ora)\b"
)
_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "un": 1, "una": 1, "uno": 1,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4,
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3,
    "vier": 4, "funf": 5, "anderthalb": 1.5, "eineinhalb": 1.5, "bir": 1, "iki": 2, "uc": 3, "dort": 4,
    "bes": 5, "due": 2, "tre": 3, "quattro": 4,
}  # fmt: skip
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True))
_HOURS = r"hours?|hrs?|h|horas?|heures?|stunden?|std|saat|ore|ora|uur"
_MINUTES = r"minutes?|minutos?|minuten?|mins?|m|dakika|dk|minuti|minuto"
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUM})\s*\+?(?:\s*(?:-|to|or|a|o|ou|bis|oder|ile|veya|ya da|e)\s*(?P<b>{_NUM}))?\s*"
    rf"(?P<half>bucuk\s*)?(?:(?P<h>{_HOURS})|(?P<m>{_MINUTES}))(?![a-z])"
    rf"(?:(?P<mm>\d{{2}})(?!\d)|\s*(?:and |y |e |et |und |ve )?(?P<mm2>\d{{1,2}})\s*(?:{_MINUTES})(?![a-z])"
    rf"|\s*(?P<and_half>and a half|y media|e meia|et demie|und ein(?:e)? halbe|e mezza))?"
)
_FORTNIGHT = (
    r"every (two|2|other) weeks?|bi-?weekly|fortnight|cada (dos|2) semanas|cada (quince|15) dias|quincenal"
    r"|(a )?cada (duas|2) semanas|quinzena|quinzenal|de quinze em quinze|toutes les (deux|2) semaines"
    r"|tous les (quinze|15) jours|alle (zwei|2) wochen|zweiwochentlich|vierzehntagig|(iki|2) haftada bir"
    r"|ogni (due|2) settimane|quindicinale"
)
_MONTH = r"\bmonths?\b|monthly|\bmes\b|mensual|mensal|\bmois\b|mensuel|monat|\bayda\b|aylik|\bmese\b|mensile"
_DAY = (
    r"\ba day\b|per day|daily|each day|every day|\bal dia\b|por dia|diario|par jour|pro tag|taglich|gunde|gunluk"
    r"|al giorno"
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I")).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[–—−]", "-", text).replace("’", "'")


# A form's few column titles and its few distinct answers repeat on every row: each is read once (the demo's
# 224 distinct rows took 1.3 s of its load reading the same 7 titles and 10 answers again).
@lru_cache(maxsize=4096)
def _row_of(title: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]] | None:
    """The day(s) and hours a column stands for: its grid row "[Monday]", or a title that is only a day/part."""
    bracket = re.search(r"\[([^\[\]]+)\]\s*$", title or "")
    text = bracket.group(1) if bracket else (title or "")
    folded = _fold(text).strip(" ?:*.")
    if not bracket and not _ROW.match(folded) and not _abbreviation(folded):
        return None
    days, times = _clause(folded)
    days = days or _abbreviation(folded)
    return (days, times) if days or times else None


def _abbreviation(folded: str) -> tuple[str, ...]:
    return tuple(day for day, (full, short) in _DAY_NAMES.items() if re.fullmatch(rf"(?:{short}|{full})\.?", folded))


def _row_label(title: str) -> str:
    bracket = re.search(r"\[([^\[\]]+)\]\s*$", title or "")
    return (bracket.group(1) if bracket else title or "Answer").strip()


@lru_cache(maxsize=4096)
def _clauses(text: str) -> tuple[tuple[tuple[str, ...], tuple[tuple[int, int], ...]], ...]:
    """(days, hours) read from each part of an answer; days named alone take the hours of the part after."""
    parts: list[tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = []
    for segment in _SEGMENTS.split(_ZONE.sub(" ", _fold(text))):
        pieces = [_clause(p) for p in _AND.split(segment)]
        if len(pieces) > 1 and all(d and t for d, t in pieces):
            parts += pieces
        else:
            parts.append(_clause(segment))
    result = []
    carry: tuple[tuple[int, int], ...] = ()
    for days, times in reversed([p for p in parts if p[0] or p[1]]):
        if times:
            carry = times if days else ()
        elif carry:
            times = carry
        result.append((days, times))
    return tuple(result[::-1])


def _clause(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The days and hours one phrase names ("mon-wed after 19:00", "morning (8:00-12:00)")."""
    text, excluded = (_EXCEPT.split(text, maxsplit=1) + [""])[:2]
    text, times = _hours(text)
    days = _days(text) or _abbreviation(text.strip(" .()-"))
    if excluded:
        days = tuple(d for d in (days or DAYS) if d not in _days(excluded))
    return days, times


def _hours(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Hours written as numbers, else the parts of the day named; the text left without the numbers."""
    hint = next((name for name, (_, words) in PERIODS.items() if re.search(rf"\b(?:{words})\b", text)), None)
    pm = hint in ("afternoon", "evening", "night")
    found: list[tuple[int, int]] = []
    for regex, read in ((_RANGE, _range), (_AFTER, _after), (_BEFORE, _before), (_SINGLE, _single)):
        found += [slot for match in regex.finditer(text) if (slot := read(match.groups(), pm))]
        text = regex.sub(" ", text)
    if not found and hint:
        found = [span for _, (span, words) in PERIODS.items() if re.search(rf"\b(?:{words})\b", text)]
        found = _without_inner(found, text)
    for _, (_, words) in PERIODS.items():
        text = re.sub(rf"\b(?:{words})\b", " ", text)
    return text, tuple(found)


def _without_inner(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    # "late evening" names the night, not the evening too; "early morning" the early hours only.
    if re.search(r"late (evenings?|nights?)", text):
        spans = [s for s in spans if s != PERIODS["evening"][0]]
    if re.search(r"early mornings?", text):
        spans = [s for s in spans if s != PERIODS["morning"][0]]
    return spans


def _minutes(hour: str | None, minute: str | None, suffix: str | None, *, pm: bool) -> int | None:
    if hour is None:
        return None
    h, m = int(hour), int(minute or 0)
    suffix = (suffix or "").replace(".", "")
    if h > 24 or m > 59 or (suffix in ("am", "pm") and not 1 <= h <= 12):
        return None
    if suffix == "pm" and h < 12 or (not suffix.endswith("m") and pm and h < 12):
        h += 12
    if suffix == "am" and h == 12:
        h = 0
    return h * 60 + m


def _range(groups, pm: bool) -> tuple[int, int] | None:
    h1, m1, s1, h2, m2, s2 = groups
    end = _minutes(h2, m2, s2, pm=pm)
    start = _minutes(h1, m1, s1, pm=pm)
    if start is None or end is None:
        return None
    if not s1 and (s2 or "").startswith("p") and start + 12 * 60 < end:
        start += 12 * 60  # "6-9pm": the pm belongs to both
    if end < start and not s2 and end < 12 * 60 < end + 12 * 60 > start:
        end += 12 * 60  # "10-2": two in the afternoon
    elif end == 0 or (end < start and end <= 6 * 60):
        end += 24 * 60  # "22-0", "22:00-01:00": past midnight
    return (start, end) if start < end else None


def _after(groups, pm: bool) -> tuple[int, int] | None:
    hour, minute, suffix = next((groups[i : i + 3] for i in (0, 3) if groups[i] is not None), (None, None, None))
    start = _minutes(hour, minute, suffix, pm=pm or (not suffix and 1 <= int(hour or 0) <= 6))
    if start is None or start >= 24 * 60:
        return None
    return start, max(22 * 60, start + 60) if start < 20 * 60 else 24 * 60


def _before(groups, pm: bool) -> tuple[int, int] | None:
    hour, minute, suffix = next((groups[i : i + 3] for i in (0, 3) if groups[i] is not None), (None, None, None))
    end = _minutes(hour, minute, suffix, pm=pm or (not suffix and 1 <= int(hour or 0) <= 6))
    if end is None or end == 0:
        return None
    return (8 * 60 if end > 10 * 60 else max(0, end - 120)), end


def _single(groups, pm: bool) -> tuple[int, int] | None:
    hour, minute, suffix, hour2, minute2 = groups
    start = _minutes(hour, minute, suffix, pm=pm) if hour else _minutes(hour2, minute2, None, pm=pm)
    if start is None or start >= 24 * 60:
        return None
    return start, start + 60


def _days(text: str) -> tuple[str, ...]:
    """The days a phrase names: names, ranges ("Mon-Wed", "lunes a viernes"), weekdays, weekends, every day."""
    found: list[str] = []
    for group, words in _GROUPS.items():
        if re.search(rf"\b(?:{words})\b", text):
            found += group
            text = re.sub(rf"\b(?:{words})\b", " ", text)
    day = "|".join(f"(?P<{d}{{n}}>{full})" for d, (full, _) in _DAY_NAMES.items())
    span = re.compile(
        rf"\b(?:{day.format(n=1)})s?\.?(?:\s*(?:-|to|through|thru|till|until|a|al|au|bis|ile|alle)\s*"
        rf"(?:{day.format(n=2)})s?\.?)?\b"
    )
    for match in span.finditer(text):
        first = next(d for d in DAYS if match.group(f"{d}1"))
        last = next((d for d in DAYS if match.group(f"{d}2")), first)
        i, j = DAYS.index(first), DAYS.index(last)
        found += [DAYS[(i + k) % 7] for k in range((j - i) % 7 + 1)]
    return tuple(d for d in DAYS if d in found)


def _add(found: dict[str, list[tuple[int, int]]], days: Sequence[str], times: Sequence[tuple[int, int]]) -> None:
    for day in days or DAYS:
        for start, end in times or (_WHOLE_DAY,):
            found.setdefault(day, []).append((start, min(end, 24 * 60)))
            if end > 24 * 60:  # the early hours belong to the next day
                found.setdefault(DAYS[(DAYS.index(day) + 1) % 7], []).append((0, end - 24 * 60))


def _slots(found: dict[str, list[tuple[int, int]]]) -> list[dict] | None:
    slots = []
    for day in DAYS:
        merged: list[list[int]] = []
        for start, end in sorted(found.get(day, ())):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        slots += [{"day": day, "start": _clock(s), "end": _clock(e)} for s, e in merged if s < e]
    return slots or None


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _amount(match: re.Match) -> float:
    a = _number(match.group("a"))
    b = _number(match.group("b")) if match.group("b") else a
    value = min(a, b) + (0.5 if match.group("half") or match.group("and_half") else 0)
    if match.group("m"):
        return value / 60
    minutes = match.group("mm") or match.group("mm2")
    return value + (int(minutes) / 60 if minutes else 0)


def _number(text: str) -> float:
    return float(_WORDS[text]) if text in _WORDS else float(text.replace(",", "."))


def _per_week(folded: str) -> float:
    if re.search(_FORTNIGHT, folded):
        return 0.5
    if re.search(_MONTH, folded):
        return 12 / 52
    if re.search(_DAY, folded):
        return 7.0
    return 1.0
