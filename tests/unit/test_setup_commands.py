"""The newcomer's set-up: a busy port gets a sentence with the fix, the Makefile checks it before starting
Streamlit, `make test` sees to the browser, and the `mentoring` command is declared for `pip install -e .`."""

from __future__ import annotations

import socket
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools.check_port", str(port)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_a_busy_port_gets_one_sentence_with_the_fix():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        busy = _check(port)
    assert busy.returncode == 2 and busy.stdout == ""
    assert f"Port {port} is already in use" in busy.stderr and f"make run PORT={port + 1}" in busy.stderr
    free = _check(port)
    assert free.returncode == 0 and free.stderr == ""


def test_make_run_checks_the_port_before_streamlit_and_make_test_sees_to_the_browser():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("tools.check_port $(PORT)") < run.index("streamlit run")
    assert "test: $(VENV)/.dev-installed browser" in makefile
    assert "apt-get install -y -qq chromium fonts-liberation" in makefile
    assert "--quiet" not in makefile  # the first install shows its progress
    assert makefile.count("pip install --no-deps -e .") == 2


def test_the_mentoring_command_is_the_command_line():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    module, function = project["project"]["scripts"]["mentoring"].split(":")
    assert (module, function) == ("lib.cli", "main")
    installed = Path(sys.executable).with_name("mentoring")
    if installed.exists():  # installed by make run / make test
        done = subprocess.run([str(installed), "--help"], capture_output=True, text=True, cwd="/", timeout=120)
        assert done.returncode == 0 and done.stdout.startswith("usage: mentoring ")
