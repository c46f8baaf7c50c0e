"""Which column is which: guessed from the column titles in several languages, remembered per header.

A mapping chosen by the moderator (on the Import page or with `import --map FIELD=COLUMN`) is stored in
the settings table under the file's header, and used again by the page and the command line for every
file with the same header. Guessing reads the header rules below, top to bottom: the first rule that
matches a column's title (lower-cased, accents removed, Turkish ı as i) wins. When two columns could
hold the email address or the name (a Microsoft Forms export's "Email" says "anonymous" and its "Name"
is empty when the form is anonymous; the questions "Your email address" and "Your name" hold them),
the column whose values hold them is chosen. Free times ("availability") may come from several columns:
a checkbox grid's rows ("When are you free? [Monday]"), columns titled with a day ("Monday", "Lunes"), or
a "Days" and a "Times" column; lib.intake.availability reads each column's day from its title.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import duckdb

from lib.errors import InvalidInput
from lib.intake import availability
from lib.storage import db

FIELDS: dict[str, str] = {
    "email": "Email",
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "other_links": "Other links",
    "goals": "What they want from it",
    "offers": "Skills offered",
    "wants": "Skills wanted",
    "timezone": "Time zone",
    "experience": "Years of experience",
    "submitted_at": "Submission time",
    "availability": "Free times",
    "budget": "Time a week",
}
# Fields that several columns may feed (their values are joined with a new line).
MULTI = {"other_links", "availability"}
# Fields the product uses to screen and match; a file without them imports but the report says so.
USED = {
    "offers": "nobody from this file will be matched on what they can offer",
    "wants": "nobody from this file will be matched on what they want to learn",
    "timezone": "time zones will be unknown, so matching cannot keep partners in overlapping hours",
    "experience": "years of experience will be unknown",
    "goals": "what people want from the programme will be missing",
    "submitted_at": "submissions of the same person are ordered by their row in the file",
}
# Free times and the weekly budget are not in USED: a form without them is the common case, and matching
# then falls back to time zones, so a file without them gets no warning.
# (field or None to keep the column as an extra answer, language, pattern on the folded title).
HEADER_RULES: list[tuple[str | None, str, str]] = [
    (None, "en", r"^id$|^start time$|^last modified time$|^hora de inicio$|^heure de debut$|^startzeit$"),
    (None, "tr", r"^baslangic (saati|zamani)$|^son degistirilme"),
    ("submitted_at", "en", r"^time ?stamp$|submitted|submission|^date$|date of application|completion time"),
    ("submitted_at", "es", r"marca temporal|hora de finalizacion|fecha de envio"),
    ("submitted_at", "pt", r"carimbo de data|hora de conclusao"),
    ("submitted_at", "fr", r"horodat|heure de fin"),
    ("submitted_at", "de", r"zeitstempel|abschlusszeit|fertigstellungszeit"),
    ("submitted_at", "tr", r"zaman damgasi|tamamlanma (saati|zamani)"),
    ("submitted_at", "it", r"informazioni cronologiche|ora di completamento"),
    ("submitted_at", "nl", r"tijdstempel|voltooiingstijd"),
    # Time before the other rules: "How much time can you offer a week?" is a budget, not skills offered.
    (
        "budget",
        "en",
        r"how (much|many) (time|hours)|hours? (per|a|each|every|in a) (week|month)|time (per|a|each) (week|month)"
        r"|time commitment|weekly (time|hours|commitment)|time budget",
    ),
    ("budget", "es", r"cuanto tiempo|horas (por|a la|cada|semanales|al mes)|tiempo (por|a la|cada) semana|dedicacion"),
    ("budget", "pt", r"quanto tempo|horas (por|semanais|na semana)|tempo (por|semanal)|dedicacao"),
    ("budget", "fr", r"combien de temps|combien d'heures|heures par (semaine|mois)|temps par semaine"),
    (
        "budget",
        "de",
        r"wie viel zeit|wieviel zeit|wie viele stunden|stunden (pro|in der|die) woche|zeit pro woche|zeitaufwand",
    ),
    ("budget", "tr", r"haftada (kac|ne kadar)|haftalik (saat|sure|zaman)|ne kadar (zaman|sure)|kac saat"),
    ("budget", "it", r"quanto tempo|quante ore|ore (a|alla|per) settimana"),
    (
        "availability",
        "en",
        r"when (are|can|do) you (usually |normally |generally )?(be )?(free|available|meet)|availability"
        r"|which days|what days|what times?(?! ?zone)|days? (and|&|/) times?|times? of (the )?day|preferred (days?|times?)"
        r"|best (days?|times?)|free (for a call|to meet)|^days?$|^times?$|^time slots?$",
    ),
    (
        "availability",
        "es",
        r"disponibilidad|cuando (estas|sueles estar|esta|puedes) (libre|disponible|reunirte)|que dias"
        r"|dias y (horas|horarios)|(?<!huso )(?<!fuso )\bhorarios?\b",
    ),
    (
        "availability",
        "pt",
        r"disponibilidade|quando (voce )?(esta|costuma estar|pode) (livre|disponivel)|quais dias|dias e horarios",
    ),
    (
        "availability",
        "fr",
        r"disponibilite|quand (etes-vous|es-tu) (libre|disponible)|creneaux?|jours et heures|quels jours"
        r"|(jours|heures) disponibles",
    ),
    (
        "availability",
        "de",
        r"verfugbarkeit|wann (bist du|sind sie|hast du|haben sie) (meist |meistens |normalerweise |ublicherweise )?"
        r"(zeit|frei|verfugbar)|zeitfenster|wochentage? und uhrzeit|an welchen tagen|welche tage|uhrzeit",
    ),
    ("availability", "tr", r"uygunluk|musait|ne zaman (bos|musait|uygun)|uygun (gun|saat)"),
    ("availability", "it", r"disponibilita|quando sei (libero|libera|disponibile)|giorni e orari"),
    ("availability", "", availability.row_words()),
    ("email", "en", r"e-?mail|^mail$|mail address"),
    ("email", "es", r"correo"),
    ("email", "fr", r"courriel|adresse (e-?)?mail"),
    ("email", "tr", r"e-?posta"),
    ("linkedin", "en", r"linked ?in"),
    ("github", "en", r"git ?hub|gitlab"),
    ("name", "en", r"full name|first and last name|your name"),
    ("name", "es", r"nombre completo|nombre y apellidos?"),
    ("name", "pt", r"nome completo|nome e sobrenome"),
    ("name", "fr", r"nom complet|prenom et nom|nom et prenom|nom prenom"),
    ("name", "de", r"vollstandiger name|vor- und nachname|name und vorname"),
    ("name", "tr", r"ad ?soyad|adiniz soyadiniz|isim soyisim|ad-soyad"),
    ("name", "it", r"nome e cognome"),
    ("first_name", "en", r"first name|given name|forename"),
    ("first_name", "es", r"primer nombre"),
    ("first_name", "pt", r"primeiro nome"),
    ("first_name", "fr", r"prenom"),
    ("first_name", "de", r"vorname"),
    ("last_name", "en", r"last name|surname|family name"),
    ("last_name", "es", r"apellido"),
    ("last_name", "pt", r"sobrenome|apelido"),
    ("last_name", "fr", r"nom de famille"),
    ("last_name", "de", r"nachname|familienname"),
    ("last_name", "tr", r"soyad|soyisim"),
    ("last_name", "it", r"cognome"),
    ("offers", "en", r"^offers?$|offer|teach|can share|can help|mentor others|skills you have|expertise|can mentor"),
    ("offers", "es", r"ofrecer|ofreces|ensenar|aportar"),
    ("offers", "pt", r"oferecer|ensinar|pode ajudar|compartilhar"),
    ("offers", "fr", r"offrir|proposer|enseigner|partager"),
    ("offers", "de", r"anbieten|vermitteln|beibringen|weitergeben"),
    ("offers", "tr", r"verebil|ogretebil|paylas|sunabil|yardimci olabil|katki"),
    (
        "wants",
        "en",
        r"^wants?$|learn|improve|skills? (you )?(want|wish|need)|want to get better|need help"
        r"|desired skills|skills? (sought|desired)",
    ),
    ("wants", "es", r"aprender|mejorar|(habilidades|conocimientos|competencias) (desead|buscad|que buscas)"),
    ("wants", "pt", r"aprender|melhorar|(habilidades|conhecimentos|competencias) (desejad|procurad)"),
    ("wants", "fr", r"apprendre|ameliorer|acquerir|competences? (souhaitee|recherchee|voulue)"),
    ("wants", "de", r"lernen|verbessern|(gesuchte|gewunschte) (fahigkeiten|kenntnisse|skills|themen)"),
    ("wants", "tr", r"ogren|gelistir|almak iste|alabil"),
    ("goals", "en", r"get out of|goal|hope|why|motivat|expect|looking for"),
    ("goals", "es", r"objetivo|esperas|por que|motivacion"),
    ("goals", "pt", r"objetivo|espera|por que|motivacao"),
    ("goals", "fr", r"objectif|attente|pourquoi"),
    ("goals", "de", r"\bziel|erwart|warum|motivation"),
    ("goals", "tr", r"hedef|beklenti|neden|amac|motivasyon"),
    ("timezone", "en", r"time ?zone|\btz\b|utc offset"),
    ("timezone", "es", r"zona horaria|huso horario"),
    ("timezone", "pt", r"fuso horario"),
    ("timezone", "fr", r"fuseau horaire"),
    ("timezone", "de", r"zeitzone"),
    ("timezone", "tr", r"saat dilimi"),
    ("timezone", "it", r"fuso orario"),
    ("timezone", "nl", r"tijdzone"),
    ("experience", "en", r"\byears?\b|experience|seniority"),
    ("experience", "es", r"experiencia|\banos\b"),
    ("experience", "pt", r"experiencia|\banos\b"),
    ("experience", "de", r"erfahrung|berufsjahre"),
    ("experience", "tr", r"deneyim|tecrube|\byil"),
    ("name", "en", r"\bname\b"),
    ("name", "es", r"\bnombres?\b"),
    ("name", "pt", r"\bnome\b"),
    ("name", "fr", r"\bnom\b"),
    ("name", "tr", r"^ad$|^adiniz$|^adi$|\bisim|isminiz"),
    ("name", "nl", r"\bnaam\b"),
    ("other_links", "en", r"website|portfolio|blog|homepage|\burl\b|\blinks?\b|profile"),
    ("other_links", "es", r"sitio web|pagina web|enlace"),
    ("other_links", "fr", r"site web|\blien"),
    ("other_links", "de", r"webseite"),
    ("other_links", "tr", r"web sitesi|baglanti|portfoy"),
]
_COMPILED = [(f, lang, re.compile(p)) for f, lang, p in HEADER_RULES]
# A bare "Name" beside a first-name column is the family name (German "Vorname, Name", French
# "Prénom, Nom"); beside a last-name column it is the given name (Spanish "Nombre, Apellidos").
_BARE_NAME = re.compile(r"^(name|nom|nombres?|nome|ad|adiniz|isim|naam)$")
_SETTING = "import.mapping."


def fold(title: str) -> str:
    """A column title lower-cased, accents removed (Turkish ı read as i), spaces collapsed."""
    text = unicodedata.normalize("NFKD", title.replace("ı", "i").replace("İ", "I")).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip(" ?:*¿¡")


def guess_mapping(header: Sequence[str], records: Sequence[Sequence[str]] = ()) -> dict[str, str | None]:
    """Map each column to a field by its title (and, for email and name, by what its values hold)."""
    candidates = {column: _matches(column) for column in header}
    mapping: dict[str, str | None] = dict.fromkeys(header)
    taken: set[str] = set()
    for field_name, score in (("email", _emails), ("name", _filled)):
        column = _best_column(header, candidates, field_name, records, score)
        if column is not None:
            mapping[column] = field_name
            taken.add(field_name)
    for column in header:
        if mapping[column] is not None:
            continue
        for name in candidates[column]:
            if name is None:
                break
            if name not in taken or name in MULTI:
                mapping[column] = name
                taken.add(name)
                break
    return _bare_names(mapping)


def languages(header: Sequence[str]) -> list[str]:
    """The languages whose header rules matched the columns (hints for the date order)."""
    found = []
    for column in header:
        folded = fold(column)
        lang = next((lang for _, lang, rx in _COMPILED if rx.search(folded)), None)
        if lang and lang not in found:
            found.append(lang)
    return found


def with_choices(
    mapping: dict[str, str | None], choices: dict[str, str | None], header: Sequence[str]
) -> dict[str, str | None]:
    """The mapping with each FIELD=COLUMN choice applied (an empty column: no column feeds the field)."""
    result = dict(mapping)
    for name, column in choices.items():
        if name not in FIELDS:
            raise InvalidInput(f"'{name}' is not a field; choose one of: {', '.join(FIELDS)}.")
        if column and column not in result:
            column = _column_named(column, header)
        for other, assigned in result.items():
            if assigned == name and name not in MULTI:
                result[other] = None
        if column:
            result[column] = name
    return result


def parse_choices(pairs: Sequence[str]) -> dict[str, str | None]:
    """`--map` arguments ("wants=What would you like to learn?") as {field: column or None}."""
    choices: dict[str, str | None] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep:
            raise InvalidInput(f"'{pair}' is not FIELD=COLUMN (for example wants=\"What would you like to learn?\").")
        choices[name.strip()] = column.strip() or None
    return choices


def remembered(con: duckdb.DuckDBPyConnection, header: Sequence[str]) -> dict[str, str | None] | None:
    """The mapping last chosen for files with this header, or None."""
    stored = db.get_setting(con, _key(header))
    if not stored or set(stored) != set(header):
        return None
    return {column: stored[column] for column in header}


def remember(con: duckdb.DuckDBPyConnection, header: Sequence[str], mapping: dict[str, str | None] | None) -> None:
    """Keep the moderator's mapping for the next file with this header (None: forget it, use the guess)."""
    db.set_setting(con, _key(header), {column: mapping.get(column) for column in header} if mapping else None)


def by_field(mapping: dict[str, str | None]) -> dict[str, str | list[str]]:
    """Field -> column for the report (other_links and availability -> their lists of columns)."""
    result: dict[str, str | list[str]] = {}
    for column, name in mapping.items():
        if name in MULTI:
            result.setdefault(name, []).append(column)  # type: ignore[union-attr]
        elif name:
            result[name] = column
    return result


def missing_fields(mapping: dict[str, str | None]) -> list[str]:
    """The fields the product uses that no column feeds."""
    fed = set(mapping.values())
    return [name for name in USED if name not in fed]


def _matches(column: str) -> list[str | None]:
    folded = fold(column)
    return [name for name, _, rx in _COMPILED if rx.search(folded)]


def _best_column(header, candidates, field_name, records, score) -> str | None:
    """The first column titled for the field, unless another such column's values hold it far better."""
    columns = [c for c in header if candidates[c] and candidates[c][0] == field_name]
    if len(columns) <= 1 or not records:
        return columns[0] if columns else None
    sample = records[:200]
    scores = [score([row[header.index(c)] if header.index(c) < len(row) else "" for row in sample]) for c in columns]
    best = max(scores)
    return next(c for c, s in zip(columns, scores) if s * 2 > best or best == 0)


def _emails(values: list[str]) -> int:
    return sum(1 for v in values if "@" in v)


def _filled(values: list[str]) -> int:
    return sum(1 for v in values if v.strip())


def _bare_names(mapping: dict[str, str | None]) -> dict[str, str | None]:
    fed = set(mapping.values())
    if "name" not in fed or ("first_name" in fed) == ("last_name" in fed):
        return mapping
    for column, name in mapping.items():
        if name == "name" and _BARE_NAME.match(fold(column)):
            mapping[column] = "last_name" if "first_name" in fed else "first_name"
    return mapping


def _column_named(column: str, header: Sequence[str]) -> str:
    folded = [c for c in header if c.strip().lower() == column.strip().lower()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(f"'{c}'" for c in header[:12])
    raise InvalidInput(f"The file has no column '{column}'; its columns are: {shown}.")


def _key(header: Sequence[str]) -> str:
    return _SETTING + hashlib.sha256("\x1f".join(header).encode()).hexdigest()[:24]
