"""Skill phrases as members write them in real forms: each maps to its canonical skills, or stays their own."""

import pytest

from lib.insight import coverage
from lib.intake import importer, skills
from tests.conftest import make_csv

NEW = set()  # no known skill: kept as a new skill named with the member's own words

PHRASES = {
    "k8s": {"Kubernetes"},
    "Kubernetes (CKA)": {"Kubernetes"},
    "ReactJS": {"React"},
    "react.js": {"React"},
    "React Native": {"React Native"},
    "Node": {"Node.js"},
    "nodejs": {"Node.js"},
    "Postgres": {"PostgreSQL"},
    "postgresql": {"PostgreSQL"},
    "Postgress": {"PostgreSQL"},
    "ML": {"Machine learning"},
    "Machine Learning": {"Machine learning"},
    "golang": {"Go"},
    "Go lang": {"Go"},
    "JS": {"JavaScript"},
    "Javascript/Typescript": {"JavaScript", "TypeScript"},
    "JS/TS": {"JavaScript", "TypeScript"},
    "Python 3": {"Python"},
    "python3": {"Python"},
    "Python 3.11": {"Python"},
    "Pyhton": {"Python"},
    "AWS/GCP": {"AWS", "Google Cloud"},
    "Spring Boot": {"Spring Boot"},
    "springboot": {"Spring Boot"},
    "system design": {"System design"},
    "Sytem design": {"System design"},
    "public speaking": {"Public speaking"},
    "career advice": {"Career growth"},
    "interviewing": {"Interviewing"},
    "vim": {"Vim"},
    "general programming": {"General programming"},
    "Data Science": {"Data science"},
    "DevOps": {"DevOps"},
    "CI/CD": {"CI/CD"},
    "TCP/IP": {"Networking"},
    "UI/UX": {"UI/UX design"},
    "A/B testing": {"A/B testing"},
    "Graphic Design": {"Graphic design"},
    "Kubernates": {"Kubernetes"},
    "Terrafrom": {"Terraform"},
    "Type Scirpt": {"TypeScript"},
    "Databases": {"Database design"},
    "Docker & Kubernetes": {"Docker", "Kubernetes"},
    "Python (Django, Flask)": {"Python", "Django", "Flask"},
    "SQL/NoSQL": {"SQL", "NoSQL"},
    "Java 17": {"Java"},
    "C++17": {"C++"},
    "iOS/Android": {"iOS", "Android"},
    "AI/ML": {"Artificial intelligence", "Machine learning"},
    "React/React Native": {"React", "React Native"},
    "Product and project management": {"Product management", "Project management"},
    "Data engineering/science": {"Data engineering", "Data science"},
    "Testing (unit, e2e)": {"Testing", "End-to-end testing"},
    "Spring (Boot, Security)": {"Spring", "Spring Boot"},
    # shared generic words, short abbreviations, near but different words: the member's own skill
    "bug hunting": NEW,
    "Indie Development": NEW,
    "Enterprise Architecture": NEW,
    "languages": NEW,
    "CS": NEW,
    "I/O": NEW,
    "R&D": NEW,
    "Darts": NEW,
    "Flash": NEW,
    "Scale": NEW,
    "Reach": NEW,
    "Game design": NEW,
    "Business development": NEW,
    "Web design": NEW,
    "Solution architecture": NEW,
    "Programming languages theory": NEW,
    "Go-kart racing": NEW,
    "Café culture": NEW,
}

COMPOUNDS = {
    "HTML/CSS": {"HTML", "CSS"},
    "HTML5/CSS3/JS": {"HTML", "CSS", "JavaScript"},
    "Bash/Shell (all shells)": {"Bash"},  # Shell is an alias of Bash in the vocabulary
    "C/C++": {"C", "C++"},
    "Flutter/Dart": {"Flutter", "Dart"},  # though "Flutter Dart" is one of Flutter's spellings
    "UI/UX": {"UI/UX design"},  # a vocabulary spelling with its slash stays one thing
    "c and c++": {"C", "C++"},
    "Backend (PHP, NodeJS, Go)": {"Backend development", "PHP", "Node.js", "Go"},
    "Front-End (React, Redux)": {"Frontend development", "React", "Redux"},
    "Front-End ( React": {"Frontend development", "React"},
    "Go)": {"Go"},
    "Web and Mobile development": {"Web development", "Mobile development"},
    "Web/Mobile development": {"Web development", "Mobile development"},
    "Machine-Deep Learning": {"Machine learning", "Deep learning"},
    "Machine and deep learning": {"Machine learning", "Deep learning"},
    "Front and back end": {"Frontend development", "Backend development"},
}

NAMES = [name for name, _, _ in skills.load_vocabulary().entries]
RESOLVER = skills.Resolver.from_vocabulary(skills.load_vocabulary())


def _skills(word: str) -> set[str]:
    return {NAMES[p] for p in RESOLVER.resolve_all(word) if isinstance(p, int)}


def test_there_are_enough_real_phrases():
    assert len(PHRASES) >= 60


@pytest.mark.parametrize("phrase, expected", sorted(PHRASES.items()))
def test_phrase_maps_to_its_canonical_skills(phrase, expected):
    assert _skills(phrase) == expected
    if not expected:
        assert RESOLVER.resolve_all(phrase) == [phrase]


@pytest.mark.parametrize("phrase, expected", sorted(COMPOUNDS.items()))
def test_compound_maps_to_every_known_part(phrase, expected):
    assert _skills(phrase) == expected


def test_unknown_part_of_a_compound_is_kept_and_qualifiers_and_generic_words_are_dropped():
    assert RESOLVER.resolve_all("Java/Spring/Hibernate ORM/Quarkus")[-1] == "Quarkus"
    assert not any(isinstance(p, str) for p in RESOLVER.resolve_all("Kubernetes (CKA, 3 years)"))
    assert not any(isinstance(p, str) for p in RESOLVER.resolve_all("Research and development"))


def test_split_skills_keeps_parenthesised_lists_whole():
    cell = "Backend (PHP, NodeJS, Go), Front-End (React, Vue); C/C++\n- Bash/Shell (all shells)"
    assert importer.split_skills(cell) == [
        "Backend (PHP, NodeJS, Go)",
        "Front-End (React, Vue)",
        "C/C++",
        "Bash/Shell (all shells)",
    ]
    assert importer.split_skills("Front-End (React, Vue\nGo") == ["Front-End (React, Vue", "Go"]


HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]


def _rows(con, email):
    return con.execute(
        "SELECT s.raw, k.name FROM applicant_skills s JOIN skills k ON k.id = s.skill_id "
        "JOIN applicants a ON a.id = s.applicant_id WHERE a.email = ? AND s.kind = 'offer' ORDER BY ALL",
        [email],
    ).fetchall()


def test_import_stores_the_members_compound_once_per_skill(con):
    cell = "HTML/CSS; C/C++; Web and Mobile development; UI/UX"
    importer.import_applications(con, make_csv(HEADER, [["a@x.org", "Ann", cell, "Go"]]), filename="s.csv")
    assert _rows(con, "a@x.org") == [
        ("C/C++", "C"),
        ("C/C++", "C++"),
        ("HTML/CSS", "CSS"),
        ("HTML/CSS", "HTML"),
        ("UI/UX", "UI/UX design"),
        ("Web and Mobile development", "Mobile development"),
        ("Web and Mobile development", "Web development"),
    ]


def test_renormalising_and_undoing_a_merge_keep_one_row_per_word_and_skill(con):
    importer.import_applications(
        con, make_csv(HEADER, [["a@x.org", "Ann", "HTML/CSS, Quilting", "Go"]]), filename="s.csv"
    )
    before = _rows(con, "a@x.org")
    merge_id = skills.merge_skills(con, "CSS", "HTML")
    assert {name for _, name in _rows(con, "a@x.org")} == {"HTML", "Quilting"}
    skills.undo_merge(con, merge_id)
    skills.renormalise(con)
    assert _rows(con, "a@x.org") == before


def test_import_keeps_a_parenthesised_list_as_one_word(con):
    cell = "Backend (PHP, NodeJS, Go), Rust"
    importer.import_applications(con, make_csv(HEADER, [["a@x.org", "Ann", cell, "Go"]]), filename="s.csv")
    assert {raw for raw, _ in _rows(con, "a@x.org")} == {"Backend (PHP, NodeJS, Go)", "Rust"}


def test_junk_fragments_of_an_old_cut_still_name_only_known_skills(con):
    cell = "Front-End ( React, Vue), Backend (PHP, NodeJS, Go)"
    importer.import_applications(con, make_csv(HEADER, [["a@x.org", "Ann", cell, "Go"]]), filename="s.csv")
    names = {name for _, name in _rows(con, "a@x.org")}
    assert names == {"Frontend development", "React", "Vue", "Backend development", "PHP", "Node.js", "Go"}


def test_likely_duplicates_never_pair_short_abbreviations_or_shared_generic_words(con):
    rows = [
        ["a@x.org", "Ann", "CS", "Go"],
        ["b@x.org", "Bo", "CSS", "Go"],
        ["c@x.org", "Cy", "Enterprise Architecture", "Go"],
        ["d@x.org", "Di", "Enterprise Architecure", "Go"],
        ["e@x.org", "Ed", "bug hunting, IO", "Go"],
        ["f@x.org", "Fa", "job hunting, IOS, Reactor", "React"],
    ]
    importer.import_applications(con, make_csv(HEADER, rows), filename="s.csv", status="accepted")
    pairs = {frozenset((r.merge, r.into)) for r in coverage.likely_duplicates(con).itertuples()}
    assert pairs == {frozenset(("Enterprise Architecture", "Enterprise Architecure"))}
