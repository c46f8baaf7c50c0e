"""Before `make run` starts Streamlit: is the port free? A busy port gets one sentence with the fix.

Run: `python -m tools.check_port PORT`; exit 0 when the port is free on 127.0.0.1, 2 (with the sentence on
stderr) when something already listens there.
"""

from __future__ import annotations

import socket
import sys


def busy(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something already listens on this port (binding it fails)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the port is free; 2 with a sentence saying how to choose another one."""
    port = int((argv if argv is not None else sys.argv[1:])[0])
    if not busy(port):
        return 0
    print(
        f"Port {port} is already in use (another dashboard, or another program, is running there). "
        f"Stop it, or start this one on another port: make run PORT={port + 1}",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
