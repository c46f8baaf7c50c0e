"""`python -m lib`: the command line, in lib/cli."""

from lib.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
