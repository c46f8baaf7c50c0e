"""Reading a CSV export as it really is: detect encoding and delimiter, keep every record.

DuckDB's sniffer can silently fall back to one column or drop rows, and DuckDB has no
Windows-1252 decoder offline, so the file is decoded and split here with Python's csv module,
which also gives exact spreadsheet row numbers for records holding quoted newlines.

A file without a BOM that is not UTF-8 was written in one of the code pages spreadsheets use.
Bytes alone cannot tell them apart (a Turkish 'Ş' is an Icelandic 'Þ' in Windows-1252, and
detectors such as charset-normalizer pick the wrong one), so each candidate decodes the words
that hold non-ASCII bytes and is scored by how plausible the letters it produces are in the
languages written in that code page; when two readings are close the moderator is told.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from lib.errors import ImportRefused

DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAMPLE_RECORDS = 50
_SAMPLE_CHARS = 256 * 1024
csv.field_size_limit(1 << 30)


@dataclass
class ParsedCSV:
    """A decoded, split CSV file: header, data records and their spreadsheet row numbers."""

    header: list[str]
    records: list[list[str]]
    row_numbers: list[int]
    encoding: str
    delimiter: str
    warnings: list[str] = field(default_factory=list)
    encoding_alternatives: list[str] = field(default_factory=list)
    encoding_examples: list[str] = field(default_factory=list)

    @property
    def delimiter_name(self) -> str:
        """The delimiter in words, for the import page."""
        return _DELIMITER_NAMES[self.delimiter]


MAX_BYTES = 50 * 1024 * 1024  # the same 50 MB as server.maxUploadSize in .streamlit/config.toml

# The encodings a moderator can choose (page and `import --encoding`), with words for each.
ENCODING_CHOICES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "windows-1252": "Windows-1252 (Western European)",
    "windows-1254": "Windows-1254 (Turkish)",
    "windows-1250": "Windows-1250 (Central European)",
    "windows-1251": "Windows-1251 (Cyrillic)",
    "windows-1253": "Windows-1253 (Greek)",
    "windows-1257": "Windows-1257 (Baltic)",
    "mac-roman": "Mac Roman (Excel for Mac)",
}


@dataclass
class DecodedText:
    """A file's text, the encoding it was read in, and what the moderator should check."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def parse_csv_bytes(data: bytes, *, encoding: str | None = None) -> ParsedCSV:
    """Decode and split a CSV export; refuse with one sentence what cannot be one."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1024 / 1024:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Export fewer responses (for example by date) and import them in parts."
        )
    decoded = decode_text(data, encoding=encoding)
    text = decoded.text
    delimiter = detect_delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    header: list[str] | None = None
    records: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows, start=1):
        if header is None:
            if _is_blank(row):
                raise ImportRefused("The first row of the file is empty; it must hold the column names.")
            header = unique_header(row)
            continue
        if _is_blank(row):
            continue
        records.append(row)
        numbers.append(number)
    if header is None:
        raise ImportRefused("The file is empty: there is no header row and no application in it.")
    return ParsedCSV(
        header, records, numbers, decoded.encoding, delimiter, decoded.warnings, decoded.alternatives, decoded.examples
    )


def decode_bytes(data: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name): BOM, then UTF-8, then the likeliest spreadsheet code page."""
    decoded = decode_text(data, encoding=encoding)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, *, encoding: str | None = None) -> DecodedText:
    """Decode a file as named by the moderator, or by BOM, strict UTF-8, then the likeliest code page."""
    if not data[:4096].strip() and not data.strip():  # the whole file only when its start is blank
        raise ImportRefused("The file is empty: there is no header row and no application in it.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file; "
            "save or download it as CSV and import that."
        )
    if encoding:
        return _decode_as(data, encoding)
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _warn_if_encoded_twice(DecodedText(_decode_or_refuse(data, name), name))
    if b"\x00" in data[:4096]:
        name = _utf16_without_bom(data)
        return DecodedText(_decode_or_refuse(data, name), name)
    try:
        return _warn_if_encoded_twice(DecodedText(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _guess_code_page(data)


def _warn_if_encoded_twice(decoded: DecodedText) -> DecodedText:
    """A UTF-8 file whose text was once misread as Windows-1252 and saved again ("AyÅŸe" for "Ayşe")."""
    for word in dict.fromkeys(_twice_words(decoded.text)):
        try:
            meant = word.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        decoded.warnings.append(
            f"Some text looks encoded twice (for example '{word}', which would read '{meant}'): the file was "
            "probably opened in the wrong encoding and saved again before it reached you. Check the names "
            "before importing, and export the file again from the form if they are garbled."
        )
        break
    return decoded


_TWICE_PAIR = re.compile(r"[ÂÃÄÅÆÇÐÑØÙ][\u0080-\u00bf\u0152-\u2122]")
_WORD_EDGE = re.compile(r"[\s,;\"]")


def _twice_words(text: str, *, most: int = 1000):
    # Linear: find the tell-tale pair, then widen it to its word within a short window (a regex with
    # an unbounded prefix was quadratic on long runs without separators).
    for found, match in enumerate(_TWICE_PAIR.finditer(text)):
        if found >= most:
            return
        start, end = match.span()
        left = _WORD_EDGE.split(text[max(0, start - 80) : start])[-1]
        right = _WORD_EDGE.split(text[end : end + 80])[0]
        yield left + text[start:end] + right


def encoding_label(name: str) -> str:
    """An encoding in words for the page ("Windows-1254 (Turkish)"), or its name when unlisted."""
    return ENCODING_CHOICES.get(name, name)


def detect_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first records most consistently."""
    best, best_key = ",", (-1.0, 0)
    head = text[:_SAMPLE_CHARS]
    for delimiter in DELIMITERS:
        sample = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=False)
        counts = []
        for row in sample:
            if not _is_blank(row):
                counts.append(len(row))
            if len(counts) > _SAMPLE_RECORDS:
                break
        if not counts or counts[0] < 2:
            continue
        same = sum(1 for c in counts[1:] if c == counts[0])
        consistency = same / (len(counts) - 1) if len(counts) > 1 else 1.0
        key = (consistency, counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def unique_header(row: list[str]) -> list[str]:
    """Header names trimmed, blanks named by position, repeats numbered so each is unique."""
    seen: dict[str, int] = {}
    names = []
    for index, raw in enumerate(row, start=1):
        name = raw.strip() or f"Column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _decode_or_refuse(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file cannot be read as text (byte {exc.start} is not valid {encoding}); "
            "export it again as CSV (UTF-8)."
        ) from exc
    if "\x00" in text:
        raise ImportRefused("The file holds binary data, not text; export the form's answers as CSV and import that.")
    return text


def _utf16_without_bom(data: bytes) -> str:
    head = data[:4096]
    even_zeros = head[0::2].count(0)
    odd_zeros = head[1::2].count(0)
    if odd_zeros > len(head) // 4 and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > len(head) // 4 and odd_zeros == 0:
        return "utf-16-be"
    raise ImportRefused("The file holds binary data, not text; export the form's answers as CSV and import that.")


def _is_blank(row: list[str]) -> bool:
    return not "".join(row).strip()


# --- Choosing a code page by the letters it produces -------------------------------------------

# Frequency, in percent of the letters of ordinary text and names, of each language's letters
# beyond ASCII (the whole alphabet for Cyrillic and Greek). Approximate published letter
# frequencies; only their order of magnitude matters here.
_LETTERS = {
    "german": "ä.54 ö.30 ü.65 ß.31",
    "french": "é1.9 è.27 ê.22 à.49 â.05 ç.09 ë.01 î.05 ï.01 ô.02 ù.06 û.06 œ.02",
    "spanish": "á.5 é.43 í.72 ñ.31 ó.83 ú.17 ü.02",
    "portuguese": "ã.73 ç.53 é.34 á.5 í.45 ó.3 õ.08 ê.45 â.56 ú.2 à.07 ô.2",
    "italian": "à.6 è.26 é.05 ì.03 ò.1 ù.17",
    "catalan_dutch": "à.4 è.4 é.6 í.4 ï.1 ò.3 ó.3 ú.1 ü.05 ç.2 ë.1",
    "nordic": "å1.3 ä1.8 ö1.3 æ.9 ø.9 é.05",
    "icelandic": "á1.8 ð4.4 é.6 í1.6 ó1 ú.6 ý.2 þ1.5 æ.9 ö.8",
    "turkish": "ç1.16 ğ1.13 ı5.1 İ3 ö.78 ş1.78 ü1.85 â.1 î.05 û.05",
    "polish": "ą.99 ć.4 ę1.1 ł1.8 ń.2 ó.85 ś.66 ź.06 ż.83",
    "czech_slovak": "á1.5 ä.05 č.6 ď.05 é.5 ě1 í1.5 ĺ.01 ľ.2 ň.07 ó.1 ô.1 ŕ.01 ř.38 š.7 ť.2 ú.3 ů.2 ý1.2 ž.75",
    "hungarian": "á3.4 é3.3 í.5 ó1 ö1 ő.9 ú.3 ü.5 ű.1",
    "romanian": "ă2 â.6 î1 ş1.2 ţ1 ș1.2 ț1",
    "south_slavic": "č1 ć.5 đ.3 š.7 ž.7",
    "estonian_finnish": "ä2 ö.5 õ1 ü1.5 š.05 ž.05",
    "lithuanian": "ą.6 č.4 ę.2 ė1.6 į.9 š1.3 ų1.2 ū.6 ž.8",
    "latvian": "ā4 č.4 ē1.7 ģ.1 ī1.6 ķ.2 ļ.4 ņ.4 š1.5 ū.5 ž.2",
    "russian": "о10.97 е8.45 а8.01 и7.35 н6.7 т6.26 с5.47 р4.73 в4.54 л4.4 к3.49 м3.21 д2.98 п2.81 у2.62 "
    "я2.01 ы1.9 ь1.74 г1.7 з1.65 б1.59 ч1.44 й1.21 х.97 ж.94 ш.73 ю.64 ц.48 щ.36 э.32 ф.26 ъ.04 ё.04",
    "ukrainian": "о9.4 а8.3 н6.8 і5.7 и6.1 в5.4 т5 е4.9 р4.6 с4.2 к3.9 л3.5 у3.2 д3 м3 п2.8 я2.5 з2.3 "
    "ь1.7 г1.6 б1.6 ч1.3 х1.2 ї.9 ж.9 ц.9 й.9 ш.7 ю.7 є.5 щ.5 ф.2 ґ.01",
    "bulgarian": "о9.1 а9.3 е8.3 и8.1 н7.5 т7.1 р5 с4.4 в4.2 л3.5 к3.5 д3.2 п3 м2.7 ъ2.5 з2 я2 б1.3 "
    "у1.2 г1.2 ч1.1 й.9 ж.7 х.7 ш.6 ц.6 щ.5 ю.3 ф.2 ь.1",
    "serbian": "а11 и9.5 о9 е8.5 н6 с5 р5 т4.6 ј4.5 у4.3 в4 к3.6 д3.5 л3 п3 м3 з1.7 г1.7 б1.5 ч1.2 "
    "ш1 ћ.8 њ.7 ц.7 х.7 ж.6 љ.5 ђ.3 ф.3 џ.1",
    "macedonian": "а10 о9 е9 и8 н6 т6 с4.5 р4.5 в4 д3.5 к3.5 л3 п3 м3 у2 з1.7 г1.7 ј1.5 б1.5 ч1 ш.8 "
    "ц.7 х.5 ж.5 њ.5 ќ.4 љ.3 ѓ.2 ф.2 џ.1 ѕ.05",
    "greek": "α11 ο9 ι7.5 ε7.5 τ7.5 ν6.5 ρ4.5 η4 σ4 κ4 π4 μ3.3 λ2.7 υ2.5 ς2.5 γ1.8 δ1.7 ά1.5 ί1.5 "
    "ό1.4 θ1.3 ω1.2 έ1.2 χ1 ή.9 φ.8 β.6 ύ.5 ζ.3 ξ.3 ώ.3 ψ.1 ϊ.05 ΐ.01 ϋ.01 ΰ.01",
}
# Languages seldom seen in this community pay a little per word, so they win only on clear evidence.
_LANGUAGE_PRIOR = {"icelandic": -1.0, "serbian": -0.5, "macedonian": -0.7}
_WESTERN = ("german", "french", "spanish", "portuguese", "italian", "catalan_dutch", "nordic", "estonian_finnish")


@dataclass(frozen=True)
class _Candidate:
    name: str
    codec: str
    languages: tuple[str, ...]
    prior: float = 0.0  # per word: code pages written less often need more evidence


# In order of preference when readings tie.
_CANDIDATES = (
    _Candidate("windows-1252", "cp1252", (*_WESTERN, "icelandic")),
    _Candidate("windows-1254", "cp1254", ("turkish", *_WESTERN)),
    _Candidate(
        "windows-1250", "cp1250", ("polish", "czech_slovak", "hungarian", "romanian", "south_slavic", "german"), -0.3
    ),
    _Candidate("windows-1251", "cp1251", ("russian", "ukrainian", "bulgarian", "serbian", "macedonian")),
    _Candidate("windows-1253", "cp1253", ("greek",)),
    _Candidate("windows-1257", "cp1257", ("lithuanian", "latvian", "estonian_finnish", "german", "polish"), -0.5),
    _Candidate("mac-roman", "mac_roman", _WESTERN, prior=-0.3),
)
# A letter scores log10(frequency / 0.1%): a language's usual letters gain, its rare ones lose.
_BASELINE = 0.1
_FLOOR = math.log10(0.003 / _BASELINE)  # a letter the language does not use
_SYMBOL, _CONTROL, _MIXED_SCRIPT, _ODD_CASE, _NO_VOWEL = -3.0, -6.0, -4.0, -2.0, -2.0
_SWITCH = 1.5  # a word in another language than the file's main one, under the same code page
# Punctuation spreadsheets write beside or inside words: no evidence either way where it belongs,
# a symbol elsewhere (an opening quote after a letter is how Mac Roman's 'ë' reads in Windows-1252).
_OPENERS, _CLOSERS, _INSIDE = set("‘“„‚«‹¿¡"), set("’”»›…°ºª"), set("’–—·\xa0\xad´•€")
_NEUTRAL = _OPENERS | _CLOSERS | _INSIDE
_VOWELS = set("аеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")
_LATIN_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāēīōūąęėįųěůőűăıœ")
_CLUSTER = -1.0  # a non-ASCII consonant between two consonants ("Lefčvre" for "Lefèvre")
_CROWD = -2.5  # a third non-ASCII Latin letter in a row ("Ã§Ã©" and "Åçèêù" are not names)
_CLOSE_MARGIN, _CLOSE_PER_WORD = 1.5, 0.5  # a lead smaller than either is a close call
_ODD_WORD, _JUNK_WORD = -1.5, -4.5  # mean score of the best reading's words with letters: warn, refuse
_TOKEN = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")
_ASCII = bytes(range(128))
_SAMPLE_BYTES, _SAMPLE_CHUNKS, _CHUNK_BYTES = 512 * 1024, 32, 12 * 1024
_MAX_WORDS, _EXAMPLES = 4000, 8


@dataclass
class _Reading:
    candidate: _Candidate
    words: list[str]
    total: float


def _guess_code_page(data: bytes) -> DecodedText:
    tokens = _sample_tokens(data)
    readings = sorted(_readings(tokens), key=lambda r: -r.total)  # stable: ties keep preference order
    for index, best in enumerate(readings):
        try:
            text = data.decode(best.candidate.codec)
        except UnicodeDecodeError:
            continue  # a byte outside the sample that this code page does not have
        if "\x00" in text:
            raise ImportRefused(
                "The file holds binary data, not text; export the form's answers as CSV and import that."
            )
        oddness = _mean_letter_word_score(best)
        _refuse_junk(data, oddness)
        return _explain(text, best, readings[index + 1 :], oddness)
    raise ImportRefused(
        f"The file cannot be read as text: row {_row_of_first_high_byte(data)} holds bytes that are neither UTF-8 "
        "nor any code page spreadsheets write; export it again as CSV (UTF-8)."
    )


def _explain(text: str, best: _Reading, others: list[_Reading], oddness: float) -> DecodedText:
    label = encoding_label(best.candidate.name)
    decoded = DecodedText(text, best.candidate.name, examples=_unique(best.words)[:_EXAMPLES])
    rival = next((r for r in others if r.words != best.words), None)
    if rival is not None:
        differing = [i for i, (a, b) in enumerate(zip(best.words, rival.words)) if a != b]
        lead = best.total - rival.total
        if lead < _CLOSE_MARGIN or lead / len(differing) < _CLOSE_PER_WORD:
            ours = ", ".join(best.words[i] for i in differing[:3])
            theirs = ", ".join(rival.words[i] for i in differing[:3])
            decoded.warnings.append(
                f"The file's encoding is uncertain: it was read as {label}, but {encoding_label(rival.candidate.name)} "
                f"is almost as likely (it would read {ours} as {theirs}). Check the names before importing; "
                f"if they look wrong, choose the encoding {rival.candidate.name}."
            )
            decoded.alternatives.append(rival.candidate.name)
            decoded.examples = _unique([best.words[i] for i in differing])[:_EXAMPLES]
    if oddness < _ODD_WORD:
        decoded.warnings.append(
            f"Some words look garbled in every encoding tried (read as {label}: "
            f"{', '.join(decoded.examples[:3])}). Check the names before importing; if they look wrong, "
            "export the file again as CSV (UTF-8) or choose its encoding."
        )
    return decoded


def _mean_letter_word_score(reading: _Reading) -> float:
    """The mean score of the words with letters beyond ASCII (a lone '©' says nothing about the encoding)."""
    scores = [max(_word_scores(w, reading.candidate)) for w in reading.words if any(_is_letter(c) for c in w)]
    return sum(scores) / len(scores) if scores else 0.0


def _is_letter(char: str) -> bool:
    return char >= "\x80" and _kind(char) == "letter"


def _refuse_junk(data: bytes, oddness: float) -> None:
    if oddness < _JUNK_WORD:
        raise ImportRefused(
            f"The file cannot be read as text: the bytes in row {_row_of_first_high_byte(data)} make no words "
            "in UTF-8 or in any code page spreadsheets write; export it again as CSV (UTF-8)."
        )


def _readings(tokens: list[bytes]) -> list[_Reading]:
    """One reading per distinct decoding: the preferred code page, with the best score among its equals."""
    readings: dict[tuple[str, ...], _Reading] = {}
    for candidate in _CANDIDATES:
        try:
            words = [token.decode(candidate.codec) for token in tokens]
        except UnicodeDecodeError:
            continue
        score = _reading_score(words, candidate)
        same = readings.setdefault(tuple(words), _Reading(candidate, words, score))
        same.total = max(same.total, score)
    return list(readings.values())


def _reading_score(words: list[str], candidate: _Candidate) -> float:
    """Words scored in the file's main language; a word may switch language at a small cost."""
    totals = [0.0] * len(candidate.languages)
    for word in words:
        scores = _word_scores(word, candidate)
        floor = max(scores) - _SWITCH
        totals = [total + max(score, floor) for total, score in zip(totals, scores)]
    return max(totals)


def _sample_tokens(data: bytes) -> list[bytes]:
    """Distinct words holding non-ASCII bytes: from a spread sample, plus every byte value the sample missed."""
    sample = data if len(data) <= _SAMPLE_BYTES else _spread_sample(data)
    seen = bytes(set(sample.translate(None, _ASCII)))
    missed = set(data.translate(None, _ASCII + seen))  # byte values the sample holds no word for
    extra = [_line_around(data, data.find(bytes([value]))) for value in missed]
    tokens = dict.fromkeys(_TOKEN.findall(b"\n".join([*extra, sample])))  # rare bytes first: never cut
    return list(tokens)[:_MAX_WORDS]


def _spread_sample(data: bytes) -> bytes:
    step = len(data) // _SAMPLE_CHUNKS
    parts = [data[: _SAMPLE_BYTES // 4]]
    for index in range(1, _SAMPLE_CHUNKS):
        chunk = data[index * step : index * step + _CHUNK_BYTES]
        parts.append(chunk[chunk.find(b"\n") + 1 : chunk.rfind(b"\n")])  # whole lines only
    return b"\n".join(parts)


def _line_around(data: bytes, position: int) -> bytes:
    start = data.rfind(b"\n", max(0, position - 2000), position) + 1
    end = data.find(b"\n", position, position + 2000)
    return data[start : end if end >= 0 else position + 2000]


def _word_scores(word: str, candidate: _Candidate) -> list[float]:
    """How plausible one decoded word is in each language of the code page: its letters, minus oddities."""
    penalty = candidate.prior
    letters = []
    last = len(word) - 1
    for index, char in enumerate(word):
        if char >= "\x80":
            kind = _kind(char)
            if kind == "letter":
                letters.append(char)
            elif kind == "neutral":
                placed = char in _INSIDE or (index == 0 and char in _OPENERS) or (index == last and char in _CLOSERS)
                penalty += 0.0 if placed else _SYMBOL
            else:
                penalty += _SYMBOL if kind == "symbol" else _CONTROL
    for run in re.findall(r"[^\W\d_]+", word):
        penalty += _run_penalty(run)
    return [
        penalty + sum(_letter_scores(language).get(c, _FLOOR) for c in letters) + _LANGUAGE_PRIOR.get(language, 0.0)
        for language in candidate.languages
    ]


def _run_penalty(run: str) -> float:
    if run.isascii():
        return 0.0
    scripts = {_script(c) for c in run}
    penalty = _MIXED_SCRIPT if len(scripts) > 1 else 0.0
    if _odd_case(run):
        penalty += _ODD_CASE
    if len(run) >= 3 and scripts <= {"CYRILLIC", "GREEK"} and not any(c.lower() in _VOWELS for c in run):
        penalty += _NO_VOWEL
    if scripts == {"LATIN"}:
        for a, b, c in zip(run, run[1:], run[2:]):
            if not b.isascii() and all(x.lower() not in _LATIN_VOWELS for x in (a, b, c)):
                penalty += _CLUSTER
            if not (a.isascii() or b.isascii() or c.isascii()):
                penalty += _CROWD
    return penalty


def _odd_case(run: str) -> bool:
    """A capital after a small letter ("ЅЌer", "Ğİsmail" aside), or capitals running into small letters."""
    for before, char in zip(run, run[1:]):
        if before.islower() and char.isupper() and not (before.isascii() and char.isascii()):
            return True
    head = run[:2]
    return len(run) >= 3 and head.isupper() and not head.isascii() and any(c.islower() for c in run)


@cache
def _letter_scores(language: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for item in _LETTERS[language].split():
        letter, score = item[0], math.log10(float(item[1:]) / _BASELINE)
        for form in (letter, letter.upper()):
            if len(form) == 1:
                scores[form] = max(scores.get(form, _FLOOR), score)
    return scores


@cache
def _kind(char: str) -> str:
    if char in _NEUTRAL:
        return "neutral"
    if char.isalpha():
        return "letter"
    return "control" if unicodedata.category(char) == "Cc" else "symbol"


@cache
def _script(char: str) -> str:
    return unicodedata.name(char, "OTHER").split(" ")[0]


def _unique(words: list[str]) -> list[str]:
    return list(dict.fromkeys(w.strip("".join(_NEUTRAL)) for w in words if w.strip("".join(_NEUTRAL))))


# --- An encoding named by the moderator --------------------------------------------------------


def _decode_as(data: bytes, encoding: str) -> DecodedText:
    name = _known_encoding(encoding)
    codec = "utf-8-sig" if name == "utf-8" and data.startswith(b"\xef\xbb\xbf") else name
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        row = _row_of_byte(data, exc.start, codec)
        raise ImportRefused(
            f"The file cannot be read as {encoding_label(name)}: row {row} holds the byte 0x{data[exc.start]:02X}, "
            f"which {name} does not have. Choose another encoding, or let the program choose."
        ) from exc
    if "\x00" in text:
        raise ImportRefused(
            f"Read as {encoding_label(name)}, the file holds binary data; choose another encoding, "
            "or let the program choose."
        )
    return DecodedText(text, codec if codec == "utf-8-sig" else name)


def _known_encoding(encoding: str) -> str:
    """The encoding's usual name ("windows-1254" for cp1254), or a refusal naming the choices."""
    try:
        info = codecs.lookup(encoding.strip())
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise ImportRefused(
            f"'{encoding}' is not a text encoding this program knows; choose one of: "
            f"{', '.join(ENCODING_CHOICES)} (or leave it out and let the program choose)."
        )
    name = info.name.replace("_", "-")
    return f"windows-{name[2:]}" if re.fullmatch(r"cp125\d", name) else name


def _row_of_byte(data: bytes, position: int, codec: str) -> int:
    """The spreadsheet row (record) holding a byte, counting quoted newlines as the reader does."""
    before = data[:position].decode(codec, errors="replace")
    return sum(1 for _ in csv.reader(io.StringIO(before + "x", newline=""), strict=False))


def _row_of_first_high_byte(data: bytes) -> int:
    match = re.search(rb"[\x80-\xff]", data)
    return _row_of_byte(data, match.start() if match else 0, "latin-1")
