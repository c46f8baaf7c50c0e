"""The README's command-line examples work as written: the example block runs, in order, on a new database,
and every command and option the README names exists in the parser."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from lib.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PREFIX = ".venv/bin/mentoring "


def example_lines() -> list[str]:
    """The command lines of the README's ```sh blocks that call the command line (comments dropped)."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(PREFIX):
                lines.append(line)
    return lines


def _commands() -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def test_the_examples_run_as_written_on_a_new_database(tmp_path):
    lines = example_lines()
    assert len(lines) >= 8 and lines[0] == PREFIX + "demo"
    # The command as a newcomer has it after `make run`: .venv/bin/mentoring, else the same via python -m lib.
    installed = Path(sys.executable).with_name("mentoring")
    env = {**os.environ, "MENTORING_DB": str(tmp_path / "readme.duckdb"), "PYTHONPATH": str(ROOT)}
    for line in lines:
        words = shlex.split(line)[1:]
        program = [str(installed)] if installed.exists() else [sys.executable, "-m", "lib"]
        done = subprocess.run(program + words, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert done.stdout.strip(), f"{line} printed nothing"
    assert (tmp_path / "applicants.csv").stat().st_size > 1000
    assert (tmp_path / "backups" / "before-cleanup").is_dir()


def test_every_command_and_option_the_readme_names_exists():
    commands = _commands()
    named = re.findall(r"`mentoring ([a-z][a-z-]*)((?: [^`]*)?)`", README)
    named += [(words[0], " " + " ".join(words[1:])) for words in (shlex.split(x)[1:] for x in example_lines())]
    section = README.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    table = re.findall(r"^\| `([a-z][a-z-]*)((?: [^`]*)?)`", section, flags=re.M)
    assert len(named) > 15 and len(table) > 25
    wrong = []
    for command, rest in named + table:
        parser = commands.get(command)
        if parser is None:
            wrong.append(f"no command {command!r}")
            continue
        options = {o for a in parser._actions for o in a.option_strings}
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if subs and rest.split():
            first = rest.split()[0].split("|")[0]
            if first.isalpha() and first in subs[0].choices:
                child = subs[0].choices[first]
                options |= {o for a in child._actions for o in a.option_strings}
        wrong += [
            f"{command} has no option {o}" for o in re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest) if o not in options
        ]
    assert wrong == []
