"""Encodings beyond Windows-1252: the right code page by the letters it produces, or a warning."""

import pytest

from lib.errors import ImportRefused
from lib.intake.csvfile import ParsedCSV, parse_csv_bytes
from tests.conftest import FIXTURES, make_csv

HEADER = ["Email Address", "Full name", "Skills you can offer"]

TURKISH = [
    ("Şükrü Yılmaz", "Veri bilimi"),
    ("Ağça Öztürk", "Mobil geliştirme"),
    ("İsmail Çelik", "Sunucu yönetimi"),
    ("Gülşen Doğan", "Kullanıcı deneyimi"),
    ("Çağrı Işık", "Oyun geliştirme"),
    ("Barış Güneş", "Siber güvenlik"),
]
CENTRAL = [
    ("Łukasz Nowak", "Programowanie"),
    ("Wojciech Świątek", "Zarządzanie projektami"),
    ("Antonín Dvořák", "Vývoj webových aplikací"),
    ("Kovács Ödön", "Adatbázis-kezelés"),
    ("Zofia Żółć", "Uczenie maszynowe"),
    ("Szőke Gábor", "Fejlesztés"),
    ("Jiří Novotný", "Řízení týmu"),
]
CYRILLIC = [
    ("Сергей Иванов", "Машинное обучение"),
    ("Олена Шевченко", "Розробка програм"),
    ("Георги Петров", "Уеб разработка"),
    ("Іван Франко", "Мобільна розробка"),
    ("Юлия Соколова", "Дизайн"),
]
GREEK = [
    ("Γιώργος Παπαδόπουλος", "Μηχανική μάθηση"),
    ("Νίκος Καζαντζάκης", "Ανάπτυξη λογισμικού"),
    ("Ελένη Οικονόμου", "Σχεδιασμός"),
    ("Δημήτρης Κωνσταντίνου", "Ασφάλεια δικτύων"),
]
BALTIC = [
    ("Rūta Kazlauskienė", "Duomenų analizė"),
    ("Jānis Bērziņš", "Tīmekļa izstrāde"),
    ("Līga Ozoliņa", "Projektu vadība"),
    ("Žydrūnas Šimkus", "Mašininis mokymasis"),
    ("Gintarė Žukauskaitė", "Dizainas"),
    ("Kārlis Kalniņš", "Datu zinātne"),
]
WESTERN = [
    ("Jörg Müller", "Softwareentwicklung"),
    ("Zoë Dubois", "Développement web"),
    ("Ñuño García", "Diseño"),
    ("João Gonçalves", "Programação"),
    ("François Lefèvre", "Gestion de projet"),
    ("Björn Åström", "Ledelse"),
]


def _file(people, encoding, *, delimiter=","):
    rows = [[f"p{i}@example.org", name, skill] for i, (name, skill) in enumerate(people)]
    return make_csv(HEADER, rows, delimiter=delimiter, encoding=encoding)


def _names(parsed: ParsedCSV) -> list[str]:
    return [record[1] for record in parsed.records]


def _skills(parsed: ParsedCSV) -> list[str]:
    return [record[2] for record in parsed.records]


def test_turkish_google_forms_export_is_read_as_windows_1254():
    parsed = parse_csv_bytes((FIXTURES / "csv" / "turkish_forms_cp1254.csv").read_bytes())
    assert parsed.encoding == "windows-1254" and parsed.warnings == []
    assert parsed.header[2:] == [
        "Adınız Soyadınız",
        "Hangi konularda yardım edebilirsiniz?",
        "Neler öğrenmek istiyorsunuz?",
    ]
    assert [r[2] for r in parsed.records] == [
        "Şükrü Yılmaz",
        "Ağça Öztürk",
        "İsmail Çelik",
        "Gülşen Doğan",
        "Çağrı Işık",
        "Ayşe Kılıç",
    ]
    assert parsed.records[4][3] == "Oyun geliştirme\nUnity"


def test_polish_czech_hungarian_semicolon_export_is_read_as_windows_1250():
    parsed = parse_csv_bytes((FIXTURES / "csv" / "central_europe_cp1250_semicolon.csv").read_bytes())
    assert (parsed.encoding, parsed.delimiter, parsed.warnings) == ("windows-1250", ";", [])
    assert parsed.header[2] == "Imię i nazwisko"
    assert [r[2] for r in parsed.records] == [
        "Łukasz Nowak",
        "Wojciech Świątek",
        "Antonín Dvořák",
        "Kovács Ödön",
        "Małgorzata Wiśniewska",
    ]
    assert parsed.records[2][4] == "Řízení týmu"


@pytest.mark.parametrize(
    "people, codec, expected",
    [
        (TURKISH, "cp1254", "windows-1254"),
        (CENTRAL, "cp1250", "windows-1250"),
        (CYRILLIC, "cp1251", "windows-1251"),
        (GREEK, "cp1253", "windows-1253"),
        (BALTIC, "cp1257", "windows-1257"),
        (WESTERN, "cp1252", "windows-1252"),
        (WESTERN, "mac_roman", "mac-roman"),
    ],
)
def test_each_code_page_is_chosen_by_the_letters_it_produces(people, codec, expected):
    parsed = parse_csv_bytes(_file(people, codec))
    assert parsed.encoding == expected and parsed.warnings == []
    assert _names(parsed) == [name for name, _ in people]
    assert _skills(parsed) == [skill for _, skill in people]


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_unicode_files_keep_every_script(encoding, expected):
    people = TURKISH[:2] + CENTRAL[:2] + CYRILLIC[:2] + GREEK[:2] + BALTIC[:2] + WESTERN[:2]
    parsed = parse_csv_bytes(_file(people, encoding, delimiter="\t" if encoding == "utf-16" else ","))
    assert parsed.encoding == expected and parsed.warnings == []
    assert _names(parsed) == [name for name, _ in people]


def test_one_turkish_name_deep_in_a_large_ascii_file_is_still_read_right():
    people = [("John Smith", "Go")] * 40_000 + [("Şükrü Kaya", "Veri bilimi")]
    parsed = parse_csv_bytes(_file(people, "cp1254"))
    assert parsed.encoding == "windows-1254" and parsed.warnings == []
    assert _names(parsed)[-2:] == ["John Smith", "Şükrü Kaya"]


def test_turkish_community_file_with_german_and_french_members():
    people = TURKISH + [("Jürgen Weiß", "Datenbanken"), ("René Dupré", "Gestion"), ("Mary O’Neil", "UX")]
    parsed = parse_csv_bytes(_file(people, "cp1254"))
    assert parsed.encoding == "windows-1254" and parsed.warnings == []
    assert _names(parsed) == [name for name, _ in people]


def test_central_european_file_with_a_german_member():
    people = CENTRAL + [("Jörg Müller", "Softwareentwicklung")]
    parsed = parse_csv_bytes(_file(people, "cp1250"))
    assert parsed.encoding == "windows-1250"
    assert _names(parsed) == [name for name, _ in people]


def test_russian_ukrainian_bulgarian_file_with_english_members():
    people = CYRILLIC + [("John Smith", "Go"), ("Anna Lee", "Rust")]
    parsed = parse_csv_bytes(_file(people, "cp1251"))
    assert parsed.encoding == "windows-1251"
    assert _names(parsed) == [name for name, _ in people]


def test_a_close_call_is_read_the_likelier_way_and_warned_about():
    people = [("John Smith", "Go"), ("Zoë Lefèvre", "Go")]
    parsed = parse_csv_bytes(_file(people, "cp1252"))
    assert parsed.encoding == "windows-1252"
    assert _names(parsed) == ["John Smith", "Zoë Lefèvre"]
    assert len(parsed.warnings) == 1
    assert "Windows-1252 (Western European)" in parsed.warnings[0]
    assert "Windows-1257 (Baltic)" in parsed.warnings[0] and "Zoė" in parsed.warnings[0]
    assert parsed.encoding_alternatives == ["windows-1257"]
    assert "Zoë" in parsed.encoding_examples


def test_a_confident_choice_carries_examples_but_no_warning():
    parsed = parse_csv_bytes(_file(TURKISH, "cp1254"))
    assert parsed.warnings == [] and parsed.encoding_alternatives == []
    assert "Şükrü" in parsed.encoding_examples


def test_the_moderator_can_name_the_encoding():
    data = _file(TURKISH, "cp1254")
    assert _names(parse_csv_bytes(data, encoding="cp1252"))[0] == "Þükrü Yýlmaz"
    parsed = parse_csv_bytes(data, encoding="Windows-1254")
    assert parsed.encoding == "windows-1254" and parsed.warnings == []
    assert _names(parsed) == [name for name, _ in TURKISH]


def test_a_named_utf8_keeps_stripping_the_bom():
    parsed = parse_csv_bytes(_file(WESTERN, "utf-8-sig"), encoding="utf-8")
    assert parsed.encoding == "utf-8-sig" and parsed.header[0] == "Email Address"


@pytest.mark.parametrize("name", ["klingon", "rot13", "base64", ""])
def test_an_unknown_encoding_name_is_refused_with_a_sentence(name):
    if not name:
        assert parse_csv_bytes(_file(WESTERN, "utf-8")).encoding == "utf-8"  # empty means: choose
        return
    with pytest.raises(ImportRefused, match=f"'{name}' is not a text encoding.*windows-1254"):
        parse_csv_bytes(_file(WESTERN, "utf-8"), encoding=name)


def test_a_named_encoding_that_cannot_read_the_file_names_the_row():
    people = [("Ann Lee", "Go,\nRust"), ("Bo Chen", "C")] + TURKISH
    data = _file(people, "cp1254")
    with pytest.raises(ImportRefused, match=r"cannot be read as UTF-8: row 4 holds the byte 0xDE"):
        parse_csv_bytes(data, encoding="utf-8")


def test_old_callers_still_build_a_parsed_csv_positionally():
    parsed = ParsedCSV(["Email"], [["a@x.org"]], [2], "utf-8", ",")
    assert parsed.warnings == [] and parsed.encoding_alternatives == [] and parsed.encoding_examples == []


def test_utf8_file_encoded_twice_is_read_but_warned_about():
    header = ["Timestamp", "Email", "Name"]
    rows = [["13/01/2026 09:00", "a@x.org", "Ayşe Yılmaz"], ["14/01/2026 09:00", "b@x.org", "Renée Müller"]]
    twice = make_csv(header, rows).decode("utf-8").encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    parsed = parse_csv_bytes(twice)
    assert parsed.encoding == "utf-8"
    assert any("encoded twice" in w and "'AyÅŸe'" in w and "'Ayşe'" in w for w in parsed.warnings)
    assert not parse_csv_bytes(make_csv(header, rows)).warnings  # the same names written once: no warning
