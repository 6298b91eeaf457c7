"""Text from outside is data: names typed in, files imported, what a unit or a nearby device
reports. One place decides which characters are refused and how stored text is shown.

- At input (the model, so the CLI, the dashboard, imports and drivers alike) text that could act
  on a terminal or reorder what a reader sees is refused: control characters (Unicode category
  Cc: NUL, ESC, tab, newline, DEL, the C1 controls), lone surrogates, the line and paragraph
  separators, and the bidirectional embeddings, overrides and isolates (U+202A-202E,
  U+2066-2069). Letters of right-to-left scripts are of course fine.
- What a driver reports is not refused (the unit must still record): ``reported_name`` replaces
  such characters with U+FFFD.
- At output every stored string goes through ``shown``, which writes any such character as a
  visible escape (``\\x1b``, ``\\u202e``): a database written by an older version or by hand may
  hold them. Markup is the other half: see ``tenslog.display.literal``.
- In CSV a cell starting with ``= + - @``, tab or CR is a live formula in a spreadsheet;
  ``guard_formula`` neutralises it as OWASP recommends, ``unguard_formula`` undoes exactly that.
"""

from __future__ import annotations

import re

NAME_MAX = 80

# Cc is U+0000-001F and U+007F-009F; then surrogates, U+2028/2029 (line and paragraph
# separators act as line breaks), and the bidi embeddings/overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Multi-line free text (a session's note) may keep its line breaks (LF) and tabs.
_UNSAFE_MULTILINE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _describe(char: str) -> str:
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a text-direction control character ({_code(char)})"
    if char in "\n\r\u2028\u2029\x85":
        return f"a line break ({_code(char)})"
    if char == "\t":
        return "a tab (U+0009)"
    if 0xD800 <= code <= 0xDFFF:
        return f"a broken character ({_code(char)})"
    return f"a control character ({_code(char)})"


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character refused at input, or None when the text is plain."""
    match = (_UNSAFE_MULTILINE if multiline else _UNSAFE).search(text)
    return None if match is None else match.group()


def check_plain(text: str, *, multiline: bool = False) -> str:
    """``text`` unchanged, or ValueError saying which character is not allowed (for pydantic,
    which puts the field's name in front)."""
    bad = unsafe_character(text, multiline=multiline)
    if bad is not None:
        raise ValueError(f"contains {_describe(bad)}; use letters, digits, spaces and punctuation")
    return text


def check_name(text: str) -> str:
    """A name as a person gives it: plain text, surrounding spaces removed, 1-80 characters."""
    check_plain(text)
    name = text.strip()
    if not name:
        raise ValueError("is empty: give a name (spaces alone are not a name)")
    if len(name) > NAME_MAX:
        raise ValueError(f"is {len(name)} characters long; at most {NAME_MAX} characters")
    return name


NOTE_MAX = 100_000  # characters: a long note, not a file pasted by mistake
LIST_SEPARATOR = "; "  # how names are joined in one CSV cell, so a name may not hold ";"


def check_note(text: str) -> str:
    """A note as typed: several lines allowed (newline and tab, nothing else from the control
    characters; a CR is refused, so a note reads the same on every system), kept exactly."""
    check_plain(text, multiline=True)
    if "\r" in text:
        raise ValueError("contains a carriage return (U+000D); end lines with a plain line break")
    if len(text) > NOTE_MAX:
        raise ValueError(f"is {len(text):,} characters long; at most {NOTE_MAX:,} characters")
    return text


def check_label(text: str, *, empty_ok: bool = False, limit: int = NAME_MAX) -> str:
    """A name that is listed with others in one cell (a treatment, a dose, an extra rating):
    a name's rules, and no ";" (the list separator)."""
    if empty_ok and not text.strip():
        check_plain(text)
        return ""
    name = check_name(text)
    if ";" in name:
        raise ValueError("contains ';', which separates names in a list; leave it out")
    if len(name) > limit:
        raise ValueError(f"is {len(name)} characters long; at most {limit} characters")
    return name


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name, in words, or None: for forms that check as you type."""
    try:
        check_name(text)
    except ValueError as exc:
        return str(exc)
    return None


def reported_text(text: str) -> str:
    """Text a unit or a nearby device reports, made safe to keep: each refused character
    becomes U+FFFD, so the unit still records and the change is visible. Nothing else changes
    (an identity must stay distinct)."""
    return _UNSAFE.sub("\ufffd", text)


def reported_name(text: str, fallback: str) -> str:
    """What a unit calls itself, made a valid name: as ``reported_text``, spaces trimmed, the
    length capped; ``fallback`` when nothing is left."""
    return reported_text(text).strip()[:NAME_MAX].strip() or fallback


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, multiline: bool = False) -> str:
    """Stored or reported text as it may be printed: every character refused at input is
    written as a visible escape (ESC as ``\\x1b``, a right-to-left override as ``\\u202e``).
    ``multiline`` (a note) keeps line breaks (LF) and tabs as they are.
    Markup is not touched here: print the result as plain text, never as markup."""
    return (_UNSAFE_MULTILINE if multiline else _UNSAFE).sub(_visible, text)


# -- CSV formula injection (OWASP "CSV Injection") ---------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = re.compile(r"'*[=+\-@\t\r]")  # zero or more quotes, then a formula character


def guard_formula(value: str) -> str:
    """A text cell a spreadsheet will not run: a leading ``= + - @``, tab or CR gets a single
    quote in front. A value that already starts with quotes before such a character gets one
    more, so ``unguard_formula`` gives back exactly the original."""
    return "'" + value if _GUARDED.match(value) else value


def unguard_formula(value: str) -> str:
    """Undo ``guard_formula``: one leading quote is removed only when quotes and then a formula
    character follow it, as our export writes; anything else is left as it is."""
    return value[1:] if value.startswith("'") and _GUARDED.match(value, 1) else value


def needs_guard(value: str) -> bool:
    """True if a spreadsheet would read this cell as a formula."""
    return value.startswith(_FORMULA_START)
