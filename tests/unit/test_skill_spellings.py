"""Real-world spellings and the canonical skill each must map to (None: a new skill of its own)."""

from collections import defaultdict

import pytest

from lib.intake import skills

SPELLINGS = {
    "k8s": "Kubernetes",
    "K8S": "Kubernetes",
    "Kubernetes (K8s)": "Kubernetes",
    "kubernetes": "Kubernetes",
    "Kubernets": "Kubernetes",
    "Kubernates": "Kubernetes",
    "kube": "Kubernetes",
    "golang": "Go",
    "Go": "Go",
    "Go lang": "Go",
    "GoLang": "Go",
    "JS": "JavaScript",
    "javascript": "JavaScript",
    "Javascript (ES6)": "JavaScript",
    "Javscript": "JavaScript",
    "React.js": "React",
    "ReactJS": "React",
    "react": "React",
    "React JS": "React",
    "ML": "Machine learning",
    "Machine learning": "Machine learning",
    "machine-learning": "Machine learning",
    "vim": "Vim",
    "Neovim": "Vim",
    "VIM": "Vim",
    "general programming": "General programming",
    "Programming": "General programming",
    "C#": "C#",
    "C": "C",
    "C++": "C++",
    "c sharp": "C#",
    "cpp": "C++",
    "F#": "F#",
    ".NET": ".NET",
    "dotnet": ".NET",
    "Postgress": "PostgreSQL",
    "postgres": "PostgreSQL",
    "PostgreSQL": "PostgreSQL",
    "Postgre SQL": "PostgreSQL",
    "Node": "Node.js",
    "NodeJS": "Node.js",
    "node.js": "Node.js",
    "TypeScript": "TypeScript",
    "Typescript": "TypeScript",
    "TS": "TypeScript",
    "Typscript": "TypeScript",
    "Python 3": "Python",
    "python programming": "Python",
    "Pyhton": "Python",
    "Python (CPython)": "Python",
    "AWS": "AWS",
    "Amazon Web Services": "AWS",
    "GCP": "Google Cloud",
    "docker-compose": "Docker",
    "Dockerr": "Docker",
    "Terraform": "Terraform",
    "Terrafrom": "Terraform",
    "CI/CD": "CI/CD",
    "CICD": "CI/CD",
    "ci / cd": "CI/CD",
    "system design": "System design",
    "Systems Design": "System design",
    "Sytem design": "System design",
    "TDD": "Test-driven development",
    "unit testing": "Testing",
    "Elasticsearch": "Elasticsearch",
    "Elastic Search": "Elasticsearch",
    "Kafka": "Kafka",
    "Apache Kafka": "Kafka",
    "kafak": "Kafka",
    "Spark": "Spark",
    "PySpark": "Spark",
    "LLMs": "Large language models",
    "GenAI": "Large language models",
    "NLP": "Natural language processing",
    "Scikit-learn": "scikit-learn",
    "sklearn": "scikit-learn",
    "Rust": "Rust",
    "Rust programming language": "Rust",
    "Haskell": "Haskell",
    "Elixir": "Elixir",
    "Elixr": "Elixir",
    "Ruby on Rails": "Ruby on Rails",
    "RoR": "Ruby on Rails",
    "Spring-Boot": "Spring Boot",
    "mentoring juniors": "Mentoring",
    "career growth": "Career growth",
    "interview prep": "Interviewing",
    "Emacs": "Emacs",
    "org-mode": "Emacs",
    "Julia": "Julia",
    "R": "R",
    # must stay distinct or become skills of their own
    "Java": "Java",
    "Scala": "Scala",
    "Darts": None,
    "Reactor pattern": None,
    "Cooking": None,
    "Underwater basket weaving": None,
    "Lisp machines": None,
    "Quilting": None,
    "Swift": "Swift",
    "SwiftUI": "SwiftUI",
    "Go-kart racing": None,
    "Rest": "REST APIs",
    "Rust belt history": None,
}


def _wrong() -> list[str]:
    vocabulary = skills.load_vocabulary()
    names = [name for name, _, _ in vocabulary.entries]
    resolver = skills.Resolver.from_vocabulary(vocabulary)
    wrong = []
    for word, expected in SPELLINGS.items():
        found = resolver.resolve_all(word)
        got = names[found[0]] if len(found) == 1 and isinstance(found[0], int) else None
        if got != expected or (expected is None and found != [word]):
            wrong.append(f"{word!r} -> {found!r}, expected {expected!r}")
    return wrong


def test_there_are_enough_real_spellings():
    assert len(SPELLINGS) >= 60


def test_every_real_spelling_maps_to_its_skill_or_stays_the_members_own():
    assert _wrong() == []


def test_vocabulary_has_no_alias_claimed_by_two_skills():
    owners = defaultdict(set)
    for name, _, aliases in skills.load_vocabulary().entries:
        for alias in [name, *aliases]:
            owners[skills.fold(alias)].add(name)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert clashes == {}


def test_vocabulary_is_a_few_hundred_skills_in_categories():
    entries = skills.load_vocabulary().entries
    assert len(entries) >= 250
    assert {"language", "frontend", "database", "cloud", "infrastructure", "tool", "practice"} <= {
        c for _, c, _ in entries
    }


@pytest.mark.parametrize("a, b", [("C#", "C"), ("C++", "C"), ("React.js", "ReactJS"), ("F#", "F")])
def test_folding_keeps_sharp_and_plus(a, b):
    same = skills.fold(a) == skills.fold(b)
    assert same == ((a, b) == ("React.js", "ReactJS"))
