"""Members' names as they wrote them, made safe: one line, no control characters, something visible.

Rules (issue 20 item 4: a name that was only a tab crashed matching for everyone):
- line breaks, tabs and every other kind of whitespace collapse to single spaces, and the ends are
  trimmed (`Eve\\r\\nBcc: x` -> `Eve Bcc: x`); other control characters are dropped;
- a name that is empty after that, or has nothing visible (only zero-width characters, direction
  marks, other format or control characters, combining marks, blank-looking letters), or is longer
  than MAX_NAME characters, is refused with a sentence for that row;
- otherwise a name is kept exactly as written, in any script (李雷, Zoë, Ñuño): no case change, no
  Unicode normalisation, zero-width joiners and direction marks (LRM, RLM) inside a name kept; direction overrides,
  embeddings and isolates dropped (an unclosed one reverses the text after the name).
"""

from __future__ import annotations

import unicodedata

from lib.text import first_name as first_name  # callers read it here too
from lib.text import pair_first_names as pair_first_names
from lib.text import visible as _visible

MAX_NAME = 200
NO_NAME = "No name"
INVISIBLE = "The name has nothing visible (only control, zero-width, direction or other invisible characters)"
TOO_LONG = f"The name is longer than {MAX_NAME} characters"

# Embeddings, overrides and isolates (LRE..RLO, PDF, LRI..PDI): one left open reverses the text that follows the
# name on a page or in an e-mail, and no script needs them to show a name; the marks LRM/RLM are kept.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(text: object) -> tuple[str | None, str | None]:
    """(the name to store, None), or (None, the sentence saying why this row's name is refused)."""
    if not isinstance(text, str) or not text.strip():
        return None, NO_NAME
    if not text.isprintable():  # the rare name holding controls, format characters or odd spaces
        text = "".join(
            c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cs") and c not in _BIDI_CONTROLS
        )
    cleaned = " ".join(text.split())
    if not cleaned or not _visible(cleaned[0]) and not any(map(_visible, cleaned)):
        return None, INVISIBLE
    if len(cleaned) > MAX_NAME:
        return None, TOO_LONG
    return cleaned, None
