"""One skill vocabulary from members' own words: folding, aliases, compounds, near-miss spellings, merges.

A member's word maps to one or more canonical skills. In order: the whole word is a known alias (after
folding case, spaces, punctuation and accents; also without a trailing version such as "3.11" or
filler words such as "programming"); a compound maps to each of its known parts ("HTML/CSS",
"Backend (PHP, NodeJS, Go)", "Web and Mobile development" sharing the head noun, "Machine-Deep
Learning"); else a near-identical spelling of a curated alias, word by word (a typo, a plural,
spacing), never a shared generic word ("Graphic Design" is not "API design"). A word that matches
nothing becomes a new skill named as the member wrote it: when unsure, the member's own word wins.
Resolution is a pure function of the word and the alias table, so it can be re-run over everything
at any time; merges are remembered as aliases, so they survive re-runs and apply to future imports.
The member's own word is never changed (applicant_skills.raw): a compound is several rows with the
same raw word, one per skill.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

from lib.errors import InvalidInput, NotFound
from lib.storage import backup, db

# The shortest word in which a typo is tolerated: below it one letter is another word ("CS", "CSS").
FUZZY_MIN_LENGTH = 4
# rapidfuzz ratio that preselects likely duplicates; look_alike() then decides.
DUPLICATE_THRESHOLD = 80
# A skill word as the importer cuts a cell: separators outside parentheses end it, a parenthesised
# group (even one left open) stays inside it. RE2-compatible, so DuckDB's regexp_extract_all can use it.
SKILL_WORD = r"(?:[^,;\n\r()]|\([^)\n\r]*\)?|\))+"
# Words that name a field rather than a skill: sharing one is no evidence of the same skill, and a
# compound's unknown part made only of these is dropped rather than kept as a skill.
GENERIC_WORDS = frozenset(
    "development dev developer design designer engineering engineer programming management architecture "
    "language languages framework frameworks tools tooling technologies technology systems software stuff "
    "things basics skills general various misc other others etc all some hunting side the of in for with".split()
)
_FILLER = re.compile(
    r"\b(programming|language|lang|development|dev|basics|basic|advanced|intermediate|beginner|"
    r"fundamentals|intro to|introduction to|the|framework|skills|experience with|experience)\b"
)
_GROUP = re.compile(r"\(([^()]*)(?:\)|$)")
_SEPARATOR = re.compile(r"\s*(?:/|\\|&|\||;|,)\s*|\s+(?:and|or|\+)\s+", re.IGNORECASE)
_HYPHEN_PAIR = re.compile(r"^(\w+)-(\w+)\s+(\w.*)$")
_VERSION = re.compile(r"(?<=[^\W\d_]|[+#])\s*v?\d+(?:\.\d+)*x?$", re.IGNORECASE)
_TRIM = " \t-*•·–:"


@dataclass(frozen=True)
class Vocabulary:
    """The shipped vocabulary: canonical skills, their categories and aliases."""

    entries: list[tuple[str, str, list[str]]]
    digest: str


def fold(word: str) -> str:
    """The comparison key of a skill word: case, spaces and punctuation folded; '#' and '+' kept."""
    text = unicodedata.normalize("NFKC", word).lower().replace("#", "sharp").replace("+", "plus")
    return re.sub(r"[\W_]+", "", text)


def load_vocabulary() -> Vocabulary:
    """The curated vocabulary shipped in lib/data/vocabulary.csv."""
    raw = (resources.files("lib.intake") / "data" / "vocabulary.csv").read_bytes()
    rows = csv.DictReader(raw.decode("utf-8").splitlines())
    entries = [(r["skill"], r["category"], [a for a in r["aliases"].split("|") if a]) for r in rows]
    return Vocabulary(entries, hashlib.sha256(raw).hexdigest())


def ensure_vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """Add shipped skills and aliases the database lacks (never undoing a moderator's merge)."""
    vocabulary = load_vocabulary()
    if db.get_setting(con, "vocabulary_sha256") == vocabulary.digest and not _unresolved(con):
        return
    entries = pd.DataFrame([(n, c) for n, c, _ in vocabulary.entries], columns=["name", "category"])
    aliases = pd.DataFrame(
        [(fold(a), n, a) for n, _, found in vocabulary.entries for a in [n, *found] if fold(a)],
        columns=["alias_key", "name", "alias"],
    ).drop_duplicates("alias_key")
    db.register(con, "_vocab", entries)
    db.register(con, "_vocab_aliases", aliases)
    try:
        with db.transaction(con):
            _retire_dropped_skills(con)
            con.execute(
                "INSERT INTO skills (name, category, source, created_at) "
                "SELECT name, category, 'vocabulary', ? FROM _vocab "
                "WHERE lower(name) NOT IN (SELECT lower(name) FROM skills)",
                [db.now()],
            )
            con.execute(
                "INSERT INTO skill_aliases SELECT DISTINCT ON (v.alias_key) v.alias_key, k.id, v.alias, 'vocabulary' "
                "FROM _vocab_aliases v JOIN skills k ON lower(k.name) = lower(v.name) "
                "WHERE v.alias_key NOT IN (SELECT alias_key FROM skill_aliases) ORDER BY v.alias_key, k.id"
            )
            db.set_setting(con, "vocabulary_sha256", vocabulary.digest)
            normalise(con)
    finally:
        db.unregister(con, "_vocab")
        db.unregister(con, "_vocab_aliases")


def normalise(con: duckdb.DuckDBPyConnection, *, everything: bool = False) -> int:
    """Give skill words their canonical skills (only unresolved ones, or all); call inside a transaction."""
    where = "" if everything else "WHERE skill_id IS NULL"
    words = [w for (w,) in con.execute(f"SELECT DISTINCT raw FROM applicant_skills {where}").fetchall()]
    if not words:
        return 0
    resolver = Resolver.from_db(con)
    found = {word: resolver.resolve_all(word) for word in words}
    new = {p for parts in found.values() for p in parts if isinstance(p, str)}
    created = _create_member_skills(con, sorted(new, key=lambda w: (fold(w) or w.lower(), w)))
    pairs = [(w, p if isinstance(p, int) else created[_key(p)]) for w, parts in found.items() for p in parts]
    _store_skill_ids(con, pd.DataFrame(pairs, columns=["raw", "skill_id"]).drop_duplicates(), where)
    return len(words)


def renormalise(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> int:
    """Re-run normalisation over every member's words (after the vocabulary changed)."""
    with db.transaction(con):
        count = normalise(con, everything=True)
        db.audit(con, "renormalise_skills", {"words": count}, moderator=moderator)
    return count


class Resolver:
    """Maps a member's word to skill ids using the alias table and the curated aliases."""

    def __init__(self, aliases: dict[str, int], spellings: list[tuple[str, int, bool]]) -> None:
        """`aliases`: folded key -> skill id; `spellings`: (alias as written, skill id, curated?)."""
        self.aliases = aliases
        loose: dict[str, int | None] = {}
        self._fuzzy: dict[str, tuple[list[str], set[int]]] = {}
        for text, skill_id, curated in spellings:
            words = _words(text)
            key = "".join(words)
            loose[key] = skill_id if loose.get(key, skill_id) == skill_id else None
            if curated and len(key) >= FUZZY_MIN_LENGTH:
                self._fuzzy.setdefault(key, (words, set()))[1].add(skill_id)
        self._loose = {k: v for k, v in loose.items() if v is not None}
        self._one_thing = {_key(text) for text, _, _ in spellings if "/" in text}  # "ui/ux", "ci/cd"
        self._fuzzy_keys = list(self._fuzzy)

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> Resolver:
        """The resolver for the database's current alias table."""
        rows = con.execute("SELECT alias_key, skill_id, alias, source FROM skill_aliases").fetchall()
        return cls({k: s for k, s, _, _ in rows}, [(a, s, src == "vocabulary") for _, s, a, src in rows])

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary) -> Resolver:
        """A resolver over the shipped vocabulary alone (skill ids are the entries' positions)."""
        keys: dict[str, int] = {}
        spellings = []
        for index, (name, _, aliases) in enumerate(vocabulary.entries):
            for alias in [name, *aliases]:
                keys.setdefault(fold(alias), index)
                spellings.append((alias, index, True))
        return cls(keys, spellings)

    def resolve(self, word: str) -> int | None:
        """The first known skill id a word names, or None when it names no known skill."""
        return next((p for p in self.resolve_all(word) if isinstance(p, int)), None)

    def resolve_all(self, word: str) -> list[int | str]:
        """Every skill a word names: known skill ids, and names of new skills (the member's words)."""
        text = _clean(word)
        if not text:
            return [word.strip() or word]
        known = self._slashed(text) or self._exact(text)
        if known is not None:
            return known if isinstance(known, list) else [known]
        for split in (self._grouped, self._coordinated):
            parts = split(text)
            if parts:
                return parts
        found = self._fuzzy_match(text)
        return [found if found is not None else text]

    def _slashed(self, text: str) -> list[int] | None:
        # Keys drop punctuation, so "Flutter/Dart" would be the alias "flutter dart" (Flutter alone);
        # when every side of the slash is a different known skill, it names them all.
        if "/" not in text or _key(text) in self._one_thing:
            return None
        parts = [self._exact(p) for p in text.split("/")]
        return _unique(parts) if None not in parts and len(set(parts)) > 1 else None

    def _exact(self, text: str) -> int | None:
        keys = (lambda: _key(text), lambda: fold(_VERSION.sub("", text)), lambda: fold(_FILLER.sub(" ", text.lower())))
        for key in (k() for k in keys):
            if key in self.aliases:
                return self.aliases[key]
        return self._loose.get("".join(_words(text)))

    def _grouped(self, text: str) -> list[int | str] | None:
        # "Backend (PHP, NodeJS, Go)": the head and each known item; unknown items are qualifiers.
        groups = _GROUP.findall(text)
        if not groups:
            return None
        head = _clean(_GROUP.sub(" ", text))
        found: list[int | str] = [p for p in self.resolve_all(head) if _substantial(p)] if head else []
        for item in (i for g in groups for i in _SEPARATOR.split(g) if _clean(i)):
            item = _clean(item)
            shared = [self._exact(f"{head} {item}"), self._exact(f"{item} {head}")] if head else []
            known = next((k for k in shared if k is not None), None)
            known = known if known is not None else self._single(item)
            if known is not None:
                found.append(known)
        return _unique(found) if any(isinstance(p, int) for p in found) else None

    def _coordinated(self, text: str) -> list[int | str] | None:
        pair = _HYPHEN_PAIR.match(text)
        if pair:
            both = [self._exact(f"{pair[1]} {pair[3]}"), self._exact(f"{pair[2]} {pair[3]}")]
            if None not in both:
                return _unique(both)
        parts = [p for p in (_clean(p) for p in _SEPARATOR.split(text)) if p]
        if len(parts) < 2 or all(len(fold(p)) <= 1 for p in parts):
            return None  # "I/O", "R&D": letters, not skills
        found: list[int | str] = []
        for part in parts:
            known = self._exact(part)
            known = known if known is not None else self._shared(part, parts)
            found += [known] if known is not None else [p for p in self.resolve_all(part) if _substantial(p)]
        return _unique(found) if any(isinstance(p, int) for p in found) else None

    def _shared(self, part: str, parts: list[str]) -> int | None:
        # "Web and Mobile development": a one-word part borrows the last part's head noun;
        # "Data engineering/science": it borrows the first part's modifier.
        if " " in part:
            return None
        first, last = parts[0].split(), parts[-1].split()
        tries = [f"{part} {last[-1]}"] if len(last) > 1 else []
        tries += [" ".join([*first[:-1], part])] if len(first) > 1 else []
        return next((k for k in map(self._exact, tries) if k is not None), None)

    def _single(self, text: str) -> int | None:
        known = self._exact(text)
        return known if known is not None else self._fuzzy_match(text)

    def _fuzzy_match(self, text: str) -> int | None:
        words = _words(text)
        key = "".join(words)
        if len(key) < FUZZY_MIN_LENGTH or not self._fuzzy_keys:
            return None
        near = process.extract(key, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=3, limit=8)
        found = {i for k, _, _ in near if near_identical(words, self._fuzzy[k][0]) for i in self._fuzzy[k][1]}
        return found.pop() if len(found) == 1 else None  # two skills equally near: unsure, keep the word


def near_identical(a: list[str], b: list[str]) -> bool:
    """Whether two phrases (as _words) are one spelling: typos, plurals, spacing; never another word."""
    if "".join(a) == "".join(b):
        return True
    if len(a) == len(b):
        differing = [(x, y) for x, y in zip(a, b) if x != y]
        return len(differing) <= max(1, len(a) // 2) and all(_same_word(x, y) for x, y in differing)
    if abs(len(a) - len(b)) == 1:  # spacing differs too: "Type Scirpt"
        x, y = "".join(a), "".join(b)
        return min(len(x), len(y)) >= 8 and _same_word(x, y) and OSA.distance(x, y) <= 1
    return False


def look_alike(a: str, b: str) -> bool:
    """Whether two skill names are worth proposing as one: one spelling, or one adds a word to a longer name."""
    x, y = _words(a), _words(b)
    if near_identical(x, y):
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= 2 and len(long) == len(short) + 1 and short in (long[1:], long[:-1])


def find_skill(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, str]:
    """A live skill by its name or any of its aliases; NotFound with a sentence otherwise."""
    row = con.execute(
        "SELECT k.id, k.name FROM skill_aliases a JOIN skills k ON k.id = a.skill_id "
        "WHERE a.alias_key = ? AND k.merged_into IS NULL",
        [fold(name)],
    ).fetchone()
    if row is None:
        row = con.execute(
            "SELECT id, name FROM skills WHERE lower(name) = lower(?) AND merged_into IS NULL", [name.strip()]
        ).fetchone()
    if row is None:
        raise NotFound(f"No skill is called '{name.strip()}'; check the spelling on the Skills page.")
    return row[0], row[1]


def merge_skills(con: duckdb.DuckDBPyConnection, source: str, target: str, *, moderator: str = "local") -> int:
    """Merge skill `source` into `target`: members' words and aliases follow; returns the merge id."""
    from_id, from_name = find_skill(con, source)
    into_id, into_name = find_skill(con, target)
    if from_id == into_id:
        raise InvalidInput(f"'{source.strip()}' and '{target.strip()}' are already the same skill ({into_name}).")
    backup.snapshot_before(con, "before-merge")
    with db.transaction(con):
        keys = [
            k for (k,) in con.execute("SELECT alias_key FROM skill_aliases WHERE skill_id = ?", [from_id]).fetchall()
        ]
        con.execute("UPDATE skill_aliases SET skill_id = ? WHERE skill_id = ?", [into_id, from_id])
        con.execute("UPDATE skills SET merged_into = ? WHERE id = ?", [into_id, from_id])
        con.execute("UPDATE applicant_skills SET skill_id = ? WHERE skill_id = ?", [into_id, from_id])
        merge_id = con.execute(
            "INSERT INTO skill_merges (from_skill_id, into_skill_id, merged_at, moderator, moved_aliases) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [from_id, into_id, db.now(), moderator, json.dumps(keys)],
        ).fetchone()[0]
        db.audit(con, "merge_skill", {"merge_id": merge_id, "from": from_name, "into": into_name}, moderator=moderator)
    return merge_id


def undo_merge(con: duckdb.DuckDBPyConnection, merge_id: int, *, moderator: str = "local") -> None:
    """Undo one merge: the merged skill, its aliases and its members' words come back."""
    row = con.execute(
        "SELECT from_skill_id, moved_aliases, undone_at FROM skill_merges WHERE id = ?", [merge_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no merge number {merge_id}.")
    if row[2] is not None:
        raise InvalidInput(f"Merge number {merge_id} was already undone on {row[2]:%d %b %Y}.")
    from_id, keys = row[0], json.loads(row[1])
    with db.transaction(con):
        con.execute("UPDATE skill_aliases SET skill_id = ? WHERE list_contains(?, alias_key)", [from_id, keys])
        con.execute("UPDATE skills SET merged_into = NULL WHERE id = ?", [from_id])
        con.execute("UPDATE skill_merges SET undone_at = ? WHERE id = ?", [db.now(), merge_id])
        normalise(con, everything=True)
        db.audit(con, "undo_merge_skill", {"merge_id": merge_id}, moderator=moderator)


def rename_skill(con: duckdb.DuckDBPyConnection, skill: str, new_name: str, *, moderator: str = "local") -> None:
    """Rename a canonical skill; the old name stays an alias."""
    skill_id, old = find_skill(con, skill)
    new_name = new_name.strip()
    key = fold(new_name) or new_name.lower()
    if not new_name:
        raise InvalidInput("Give the skill a name.")
    holder = con.execute("SELECT skill_id FROM skill_aliases WHERE alias_key = ?", [key]).fetchone()
    if holder and holder[0] != skill_id:
        other = con.execute("SELECT name FROM skills WHERE id = ?", [holder[0]]).fetchone()[0]
        raise InvalidInput(f"'{new_name}' already means the skill {other}; merge the two skills instead.")
    with db.transaction(con):
        con.execute("UPDATE skills SET name = ? WHERE id = ?", [new_name, skill_id])
        if not holder:
            con.execute("INSERT INTO skill_aliases VALUES (?, ?, ?, 'rename')", [key, skill_id, new_name])
        db.audit(con, "rename_skill", {"skill_id": skill_id, "from": old, "to": new_name}, moderator=moderator)


def skill_names(con: duckdb.DuckDBPyConnection, *, in_use: bool = False) -> list[str]:
    """Names of live (not merged) skills, optionally only those some member's words map to."""
    used = "AND id IN (SELECT skill_id FROM applicant_skills)" if in_use else ""
    rows = con.execute(f"SELECT name FROM skills WHERE merged_into IS NULL {used} ORDER BY lower(name)").fetchall()
    return [name for (name,) in rows]


def merges(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every merge, newest first, with names and whether it was undone."""
    return con.execute(
        "SELECT m.id, f.name AS merged, i.name AS into_skill, m.merged_at, m.moderator, m.undone_at "
        "FROM skill_merges m JOIN skills f ON f.id = m.from_skill_id JOIN skills i ON i.id = m.into_skill_id "
        "ORDER BY m.id DESC"
    ).df()


def skill_words(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each member's word beside the canonical skill it maps to, with how many use it."""
    return con.execute(
        "SELECT k.name AS skill, s.raw AS word, count(DISTINCT s.applicant_id) AS members "
        "FROM applicant_skills s JOIN skills k ON k.id = s.skill_id GROUP BY ALL ORDER BY skill, members DESC, word"
    ).df()


def _clean(word: str) -> str:
    # Spaces collapsed; a parenthesis the importer's cut left unbalanced is closed or dropped.
    text = " ".join(unicodedata.normalize("NFKC", word).split()).strip(_TRIM)
    if text.count(")") > text.count("("):
        text = text.replace(")", " ")
    text = text.strip(_TRIM).rstrip("(").strip(_TRIM)
    if text.count("(") > text.count(")"):
        text += ")"
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    # Case, accents and punctuation folded; '#' and '+' kept as words so C, C# and C++ stay apart.
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain.lower().replace("#", "sharp").replace("+", "plus"))


def _same_word(x: str, y: str) -> bool:
    """Whether x and y (x != y) are one word misspelt or pluralised; short words must match exactly."""
    short, long = sorted((x, y), key=len)
    if len(short) < FUZZY_MIN_LENGTH or x[0] != y[0] or re.findall(r"\d+", x) != re.findall(r"\d+", y):
        return False
    if long in (short + "s", short + "es", short[:-1] + "ies"):
        return len(short) >= 5  # "Databases" is Database, "Darts" is not Dart
    distance = OSA.distance(x, y)
    if len(short) <= 5:  # one letter added, dropped or swapped; a changed letter is another word
        return distance == 1 and (len(x) != len(y) or sorted(x) == sorted(y))
    return distance <= (2 if len(short) >= 10 else 1)


def _substantial(part: int | str) -> bool:
    return isinstance(part, int) or (
        len(fold(part)) > 1 and not set(w.lower() for w in re.findall(r"\w+", part)) <= GENERIC_WORDS
    )


def _unique(parts: list[int | str]) -> list[int | str]:
    return list(dict.fromkeys(parts))


def _key(word: str) -> str:
    return fold(word) or word.strip().lower()


def _create_member_skills(con: duckdb.DuckDBPyConnection, words: list[str]) -> dict[str, int]:
    created: dict[str, int] = {}
    now = db.now()
    for word in words:
        key = _key(word)
        if key in created:
            continue
        created[key] = con.execute(
            "INSERT INTO skills (name, category, source, created_at) VALUES (?, NULL, 'member', ?) RETURNING id",
            [word.strip(), now],
        ).fetchone()[0]
        con.execute("INSERT INTO skill_aliases VALUES (?, ?, ?, 'member')", [key, created[key], word.strip()])
    return created


def _retire_dropped_skills(con: duckdb.DuckDBPyConnection) -> None:
    # A shipped skill the vocabulary no longer has (C/C++ became the compound of C and C++) loses its
    # shipped aliases, leaves the skill lists once unused, and its members' words are resolved again.
    con.execute(
        "DELETE FROM skill_aliases WHERE source = 'vocabulary' "
        "AND alias_key NOT IN (SELECT alias_key FROM _vocab_aliases)"
    )
    retired = (
        "SELECT id FROM skills WHERE source = 'vocabulary' AND merged_into IS NULL "
        "AND id NOT IN (SELECT skill_id FROM skill_aliases)"
    )
    con.execute(f"UPDATE applicant_skills SET skill_id = NULL WHERE skill_id IN ({retired})")
    con.execute(f"UPDATE skills SET source = 'retired' WHERE id IN ({retired})")


def _store_skill_ids(con: duckdb.DuckDBPyConnection, mapping: pd.DataFrame, where: str) -> None:
    # One row per (word, skill): a compound's word is stored once for each skill it names.
    db.register(con, "_skill_map", mapping)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _skill_words AS "
            f"SELECT DISTINCT applicant_id, kind, position, raw FROM applicant_skills {where}"
        )
        con.execute(f"DELETE FROM applicant_skills {where}")
        con.execute(
            "INSERT INTO applicant_skills (applicant_id, kind, position, raw, skill_id) "
            "SELECT w.applicant_id, w.kind, w.position, w.raw, m.skill_id FROM _skill_words w JOIN _skill_map m "
            "USING (raw) ORDER BY w.applicant_id, w.kind, w.position, m.skill_id"
        )
        con.execute("DROP TABLE _skill_words")
    finally:
        db.unregister(con, "_skill_map")


def _unresolved(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM applicant_skills WHERE skill_id IS NULL").fetchone()[0])
