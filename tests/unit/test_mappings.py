import pytest

from lib.errors import InvalidInput
from lib.intake import mappings

HEADERS = {
    "tr": (
        ["Zaman damgası", "E-posta Adresi", "Adınız Soyadınız", "Mentorluk verebileceğiniz konular",
         "Öğrenmek istediğiniz konular", "Saat diliminiz", "Kaç yıllık deneyiminiz var?", "LinkedIn profiliniz"],
        ["submitted_at", "email", "name", "offers", "wants", "timezone", "experience", "linkedin"],
    ),
    "es": (
        ["Marca temporal", "Dirección de correo electrónico", "Nombre completo", "¿Qué puedes enseñar?",
         "¿Qué te gustaría aprender?", "Zona horaria", "Años de experiencia", "¿Qué esperas del programa?"],
        ["submitted_at", "email", "name", "offers", "wants", "timezone", "experience", "goals"],
    ),
    "pt": (
        ["Carimbo de data/hora", "Endereço de e-mail", "Nome completo", "O que você pode ensinar?",
         "O que você quer aprender?", "Fuso horário", "Anos de experiência"],
        ["submitted_at", "email", "name", "offers", "wants", "timezone", "experience"],
    ),
    "fr": (
        ["Horodateur", "Adresse e-mail", "Prénom", "Nom", "Ce que vous pouvez enseigner",
         "Ce que vous voulez apprendre", "Fuseau horaire", "Vos objectifs"],
        ["submitted_at", "email", "first_name", "last_name", "offers", "wants", "timezone", "goals"],
    ),
    "de": (
        ["Zeitstempel", "E-Mail-Adresse", "Vorname", "Nachname", "Was kannst du anbieten?",
         "Was möchtest du lernen?", "Zeitzone", "Jahre Berufserfahrung"],
        ["submitted_at", "email", "first_name", "last_name", "offers", "wants", "timezone", "experience"],
    ),
    "en": (
        ["Timestamp", "Email Address", "Name", "Offers", "Wants", "GitHub", "Portfolio"],
        ["submitted_at", "email", "name", "offers", "wants", "github", "other_links"],
    ),
    "ms_forms": (
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "Your name",
         "Your email address", "What can you offer?", "What do you want to learn?"],
        [None, None, "submitted_at", "email", "name", None, None, None, "offers", "wants"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", list(HEADERS))
def test_form_headers_in_several_languages_are_recognised(language):
    header, fields = HEADERS[language]
    assert list(mappings.guess_mapping(header).values()) == fields


def test_anonymous_microsoft_forms_export_takes_address_and_name_from_the_questions():
    header = HEADERS["ms_forms"][0]
    rows = [["1", "x", "y", "anonymous", "", "", "Ayşe Yılmaz", "ayse@example.com", "Go", "Rust"]] * 3
    mapping = mappings.guess_mapping(header, rows)
    assert mapping["Your email address"] == "email" and mapping["Your name"] == "name"
    assert mapping["Email"] is None and mapping["Name"] is None


def test_named_microsoft_forms_export_keeps_its_email_column():
    header = HEADERS["ms_forms"][0]
    rows = [["1", "x", "y", "ayse@example.com", "Ayşe", "", "", "", "Go", "Rust"]]
    assert mappings.guess_mapping(header, rows)["Email"] == "email"


def test_choices_move_a_field_to_another_column_or_unmap_it():
    mapping = {"Email": "email", "Learn": None, "Wants": "wants", "Name": "name"}
    chosen = mappings.with_choices(mapping, {"wants": "learn", "name": None}, list(mapping))
    assert chosen == {"Email": "email", "Learn": "wants", "Wants": None, "Name": None}


def test_choices_refuse_unknown_fields_and_columns():
    with pytest.raises(InvalidInput, match="'skill' is not a field"):
        mappings.with_choices({"A": None}, {"skill": "A"}, ["A"])
    with pytest.raises(InvalidInput, match="no column 'B'; its columns are: 'A'"):
        mappings.with_choices({"A": None}, {"wants": "B"}, ["A"])
    with pytest.raises(InvalidInput, match="is not FIELD=COLUMN"):
        mappings.parse_choices(["wants"])
    assert mappings.parse_choices(["wants=What would you like to learn?", "github="]) == {
        "wants": "What would you like to learn?",
        "github": None,
    }


def test_a_mapping_is_remembered_per_header(con):
    header = ["Mail", "Who", "Learn"]
    assert mappings.remembered(con, header) is None
    mappings.remember(con, header, {"Mail": "email", "Who": "name", "Learn": "wants"})
    assert mappings.remembered(con, header) == {"Mail": "email", "Who": "name", "Learn": "wants"}
    assert mappings.remembered(con, ["Mail", "Who"]) is None


def test_report_shapes():
    mapping = {"E": "email", "W": "website", "B": "other_links", "C": "other_links", "X": None}
    assert mappings.by_field(mapping) == {"email": "E", "website": "W", "other_links": ["B", "C"]}
    assert mappings.missing_fields({"E": "email", "O": "offers"})[:2] == ["wants", "timezone"]
