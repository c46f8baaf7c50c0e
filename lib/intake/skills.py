"""One skill vocabulary from members' own words: folding, aliases, fuzzy near-misses, merges.

A member's word maps to a canonical skill by, in order: its folded form being a known alias; the
same without a decoration such as "(K8s)", or the decoration itself; the same without filler words
("programming", "basics"); a near-miss of a curated alias (rapidfuzz ratio >= FUZZY_THRESHOLD, on
words of at least FUZZY_MIN_LENGTH characters). A word that matches nothing becomes a new skill named
as the member wrote it. Resolution is a pure function of the word and the alias table, so it can be
re-run over everything at any time; merges are remembered as aliases, so they survive re-runs and
apply to future imports. The member's own word is never changed (applicant_skills.raw).
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
from rapidfuzz import fuzz, process

from lib.errors import InvalidInput, NotFound
from lib.storage import backup, db

# Chosen with tests/unit/test_skill_spellings.py: the most conservative of the thresholds with the
# highest accuracy over the real spellings there (76-80 tie; 82 loses "kafak", 84 "Pyhton").
FUZZY_THRESHOLD = 80
FUZZY_MIN_LENGTH = 5
DUPLICATE_THRESHOLD = 80
_FILLER = re.compile(
    r"\b(programming|language|lang|development|dev|basics|basic|advanced|intermediate|beginner|"
    r"fundamentals|intro to|introduction to|the|framework|skills|experience with|experience)\b"
)
_DECORATION = re.compile(r"\(([^)]*)\)")


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
    """Give skill words a canonical skill (only unresolved ones, or all); call inside a transaction."""
    where = "" if everything else "WHERE skill_id IS NULL"
    words = [w for (w,) in con.execute(f"SELECT DISTINCT raw FROM applicant_skills {where}").fetchall()]
    if not words:
        return 0
    resolver = Resolver.from_db(con)
    mapping = {word: resolver.resolve(word) for word in words}
    new = sorted({w for w, s in mapping.items() if s is None}, key=lambda w: (fold(w) or w.lower(), w))
    created = _create_member_skills(con, new)
    frame = pd.DataFrame({"raw": words, "skill_id": [mapping[w] or created[_key(w)] for w in words]})
    db.register(con, "_skill_map", frame)
    try:
        con.execute(
            "UPDATE applicant_skills SET skill_id = m.skill_id FROM _skill_map m "
            "WHERE applicant_skills.raw = m.raw AND applicant_skills.skill_id IS DISTINCT FROM m.skill_id"
        )
    finally:
        db.unregister(con, "_skill_map")
    return len(words)


def renormalise(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> int:
    """Re-run normalisation over every member's words (after the vocabulary changed)."""
    with db.transaction(con):
        count = normalise(con, everything=True)
        db.audit(con, "renormalise_skills", {"words": count}, moderator=moderator)
    return count


class Resolver:
    """Maps a member's word to a skill id using the alias table and the curated aliases."""

    def __init__(self, aliases: dict[str, int], curated: dict[str, int], *, threshold: float = FUZZY_THRESHOLD) -> None:
        self.aliases = aliases
        self.threshold = threshold
        self._curated_keys = [k for k in curated if len(k) >= FUZZY_MIN_LENGTH - 1]
        self._curated = curated

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> Resolver:
        """The resolver for the database's current alias table."""
        rows = con.execute("SELECT alias_key, skill_id, source FROM skill_aliases").fetchall()
        return cls({k: s for k, s, _ in rows}, {k: s for k, s, src in rows if src == "vocabulary"})

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary, *, threshold: float = FUZZY_THRESHOLD) -> Resolver:
        """A resolver over the shipped vocabulary alone (skill ids are the entries' positions)."""
        keys = {}
        for index, (name, _, aliases) in enumerate(vocabulary.entries):
            for alias in [name, *aliases]:
                keys.setdefault(fold(alias), index)
        return cls(keys, keys, threshold=threshold)

    def resolve(self, word: str) -> int | None:
        """The skill id for a word, or None when it is a new skill."""
        for candidate in _candidates(word):
            if candidate in self.aliases:
                return self.aliases[candidate]
        key = fold(word)
        if len(key) >= FUZZY_MIN_LENGTH and self._curated_keys:
            found = process.extractOne(key, self._curated_keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
            if found:
                return self._curated[found[0]]
        return None


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


def _candidates(word: str) -> list[str]:
    text = unicodedata.normalize("NFKC", word).strip()
    found = [_key(text)]
    decorations = _DECORATION.findall(text)
    if decorations:
        found.append(fold(_DECORATION.sub(" ", text)))
        found += [fold(d) for d in decorations]
    plain = _FILLER.sub(" ", _DECORATION.sub(" ", text).lower())
    found.append(fold(plain))
    return [c for c in found if c]


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


def _unresolved(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM applicant_skills WHERE skill_id IS NULL").fetchone()[0])
