"""Profile links as members type them, stored as absolute https links; what is not a link stays text.

"linkedin.com/in/x", "www.github.com/x" and "http://x.dev" become "https://linkedin.com/in/x" ...
"@name" is a handle on the column's site (GitHub or LinkedIn); a bare word is a handle only in the
GitHub column, where forms ask for a user name (LinkedIn profiles are shared as links). Answers
such as "n/a", "none", "yok" or a sentence are not links: the importer keeps them as extra answers.
"""

from __future__ import annotations

import re

SITES = {"github": "https://github.com/", "linkedin": "https://www.linkedin.com/in/"}
# Common top-level domains beyond the two-letter country codes, so "john.doe" is not a link.
_TLDS = frozenset(
    "com org net io dev me info app co ai xyz tech page site blog online pro biz edu gov eu cloud design codes "
    "software website space link tools studio works live social name one digital ninja engineer".split()
)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24})\.?$")
_HANDLE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38}[A-Za-z0-9])?$")
_NO_ANSWER = frozenset(
    "n/a na none no nope nil null nothing yok hayir yoktur ninguno ninguna nenhum nenhuma aucun aucune keine "
    "kein nein nicht - -- . x private later soon".split()
)
_ALREADY = re.compile(r"https://(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/(?:[^\s<>\"'`]*[^\s<>\"'`.,;)])?)?", re.ASCII)
_SPACE = re.compile(r"\s")
# "github: jdoe", "LinkedIn: linkedin.com/in/jdoe": the site's name written before the answer.
_LABEL = re.compile(r"^(?:github|gitlab|linkedin)\s*:\s*(?!//)", re.IGNORECASE)
_TRIM = " \t\r\n<>\"'`.,;()[]"


def absolute_url(text: str | None, *, site: str | None = None) -> str | None:
    """An absolute https link for a link-like answer (or a handle on `site`), else None."""
    if text and _ALREADY.fullmatch(text):
        return text  # most answers are copied from the browser's address bar
    value = _LABEL.sub("", (text or "").strip()).strip(_TRIM)
    if not value or _SPACE.search(value) or value.lower() in _NO_ANSWER:
        return None
    handle = _handle(value, site)
    if handle:
        return SITES[site] + handle
    lowered = value.lower()
    if lowered.startswith("http://"):
        value = value[7:]
    elif lowered.startswith("https://"):
        value = value[8:]
    elif lowered.startswith("//"):
        value = value[2:]
    elif re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return None  # mailto:, javascript:, ... are not profile links
    host, slash, path = value.partition("/")
    host = host.lower().rstrip(".")
    match = _HOST.match(host.split(":")[0])
    if match is None or not (len(match.group(1)) == 2 or match.group(1) in _TLDS):
        return None
    return f"https://{host}{slash}{path}"


def links_in(text: str | None) -> str | None:
    """Free text with every link-like word made absolute (other words kept as written)."""
    if not text:
        return text
    return re.sub(r"[^\s,;]+", lambda m: absolute_url(m.group(0)) or m.group(0), text)


def _handle(value: str, site: str | None) -> str | None:
    if site not in SITES:
        return None
    if value.startswith("@") and _HANDLE.match(value[1:]):
        return value[1:]
    if site == "github" and _HANDLE.match(value) and not _HOST.match(value.lower()):
        return value
    return None
