"""`streamlit run` with each script run's server-side time appended to a file (for benchmarks/pages.py).

Usage: `MENTORING_SCRIPT_TIMES=/tmp/times.txt python -m tools.timed_streamlit run app.py ...`.
Every finished run appends one line: `<milliseconds>\\t<page script path>`. The time is the page
script's own execution inside Streamlit's script runner (what the moderator waits for on the server),
measured by wrapping the runner's `exec_func_with_error_handling`; a benchmark tool only, it relies
on that internal name of Streamlit 1.67 and fails loudly if it is gone.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import streamlit.runtime.scriptrunner.script_runner as script_runner
from streamlit.web.cli import main

_lock = threading.Lock()
_original = script_runner.exec_func_with_error_handling


def _timed(func, ctx):
    start = time.perf_counter()
    try:
        return _original(func, ctx)
    finally:
        elapsed = (time.perf_counter() - start) * 1000
        page = getattr(ctx, "main_script_path", "") or ""
        with _lock, open(os.environ["MENTORING_SCRIPT_TIMES"], "a", encoding="utf-8") as out:
            out.write(f"{elapsed:.1f}\t{page}\n")


if __name__ == "__main__":
    script_runner.exec_func_with_error_handling = _timed
    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(main())
