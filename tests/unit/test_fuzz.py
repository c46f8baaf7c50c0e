"""Property-based tests over the CSV importer, the skill parser and the command line.

The suite runs a few hundred generated inputs; `make fuzz` runs thousands (FUZZ_EXAMPLES).
Never an unhandled exception, never a partial write, always a sentence the moderator can act on.
"""

import contextlib
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import cli, startup
from lib.errors import MentoringError
from lib.intake import importer, skills
from lib.intake.csvfile import parse_csv_bytes
from tests.conftest import make_csv

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
PAYLOADS = [
    '=HYPERLINK("http://evil")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "<script>alert(1)</script>",
    "'; DROP TABLE applicants; --",
    "\x00",
    "\u202e",
    "😀" * 50,
    "a" * 100_000,
    "Robert'); --",
    "k8s, C#, C++\nvim",
]
cells = st.one_of(st.text(max_size=40), st.sampled_from(PAYLOADS), st.emails())


def _sentence(exc: Exception) -> bool:
    text = str(exc).strip()
    return bool(text) and "\n" not in text and "Traceback" not in text


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes_parse_or_are_refused_with_a_sentence(data):
    try:
        parse_csv_bytes(data)
    except MentoringError as exc:
        assert _sentence(exc)


@FUZZ
@given(
    st.lists(st.lists(cells, min_size=1, max_size=8), min_size=0, max_size=12),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(
        [
            ["Email", "Name", "Skills you can offer"],
            ["E-mail", "Full name", "Time zone", "What would you like to learn?"],
            ["Name"],
            [f"Column {i}" for i in range(3000)],
        ]
    ),
)
def test_generated_exports_import_or_are_refused_without_partial_writes(
    tmp_path_factory, rows, encoding, delimiter, header
):
    path = tmp_path_factory.mktemp("fuzz") / "f.duckdb"
    con = startup.open_database(path)
    try:
        try:
            data = make_csv(header, rows, delimiter=delimiter, encoding=encoding)
        except UnicodeEncodeError:
            return
        try:
            result = importer.import_applications(con, data, filename="fuzz.csv")
        except MentoringError as exc:
            assert _sentence(exc)
            assert con.execute("SELECT count(*) FROM applicants").fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        else:
            stored = con.execute("SELECT count(*) FROM applicants").fetchone()[0]
            assert stored == result.inserted
            assert all(isinstance(r["row"], int) and r["reason"] for r in result.rejected)
    finally:
        con.close()


@FUZZ
@given(st.one_of(st.text(max_size=200), st.sampled_from(PAYLOADS)))
def test_skill_words_never_break_the_parser(text):
    words = importer.split_skills(text)
    assert all(w and w == w.strip(" \t-*•·–") for w in words)
    resolver = skills.Resolver.from_vocabulary(skills.load_vocabulary())
    for word in words[:5]:
        resolver.resolve(word)
        skills.fold(word)


COMMANDS = st.sampled_from(
    [
        "import",
        "applicants",
        "set-status",
        "skills",
        "merge-skill",
        "suggest",
        "confirm",
        "pause",
        "never-pair",
        "pairs",
        "advance",
        "end-pair",
        "withdraw",
        "report",
        "export",
        "erase",
        "export-member",
        "backup",
        "restore",
        "nonsense",
    ]
)


@settings(max_examples=max(30, EXAMPLES // 5), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    COMMANDS,
    st.lists(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(
                [
                    "--json",
                    "--to",
                    "accepted",
                    "--reason",
                    "x",
                    "--member",
                    "a@x.org",
                    "--round",
                    "--until",
                    "2020-01-01",
                    "1",
                    "--by",
                    "a",
                    "dropouts",
                    "--from",
                    "nope",
                    "applicants",
                    "/nonexistent/file.csv",
                ]
            ),
        ),
        max_size=6,
    ),
)
def test_command_line_exits_0_or_2_with_a_sentence(tmp_path_factory, command, args):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "c.duckdb"
    err = io.StringIO()
    code = None
    # relative paths in generated commands (`backup accepted`) land in the temporary folder
    with contextlib.chdir(folder), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(["--db", str(path), command, *args])
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue()
