"""Text encoding of import files: UTF-8 (with or without the BOM spreadsheets add), anything
else refused with a guess at what it is (UTF-16/32 by their byte-order mark or NUL bytes, an
older 8-bit encoding otherwise) and how to save it as UTF-8."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from tenslog.imports.errors import ImportFailed, file_problem

SAVE_AS_UTF8 = "save it again as 'CSV UTF-8' (or 'UTF-8 text') and import that."
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)  # fmt: skip
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape


def sniff(head: bytes) -> ImportFailed | None:
    """A refusal naming the encoding, if the first bytes show the file is not UTF-8 text."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return _not_utf8(f"it is {name} text (it starts with a {name} byte-order mark)")
    if b"\x00" not in head:
        return None
    # Without a mark: an ASCII letter is one byte and one NUL in UTF-16, one and three in UTF-32.
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        nul = [_nul_share(head[i::width]) for i in range(width)]
        letter_first = nul[0] < 0.2 and min(nul[1:]) > 0.8
        letter_last = nul[-1] < 0.2 and min(nul[:-1]) > 0.8
        if letter_first or letter_last:
            return _not_utf8(f"it seems to be {name} text (letters are separated by NUL bytes)")
    return file_problem(
        "the file has NUL bytes, so it is not a text file (a spreadsheet's own format such "
        f"as .xlsx or .ods?): {SAVE_AS_UTF8}",
        field="(encoding)",
        line=head.count(b"\n", 0, head.index(b"\x00")) + 1,
    )


def _nul_share(part: bytes) -> float:
    return part.count(0) / len(part) if part else 0.0


def _not_utf8(why: str) -> ImportFailed:
    return file_problem(f"the file is not UTF-8 text: {why}; {SAVE_AS_UTF8}", field="(encoding)", line=1)


def _bad_byte(byte: int, line: int) -> ImportFailed:
    return file_problem(
        f"the file is not UTF-8 text (byte 0x{byte:02X} cannot be read). It was probably "
        f"saved in an older encoding such as Latin-1 or Windows-1252: {SAVE_AS_UTF8}",
        field="(encoding)",
        line=line,
    )


def decode_utf8(data: bytes) -> str:
    """The whole text, or a clear refusal naming the line and what the encoding seems to be."""
    if (refusal := sniff(data[:4096])) is not None:
        raise refusal
    if not data.strip():
        raise file_problem("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad_byte(data[exc.start], data.count(b"\n", 0, exc.start) + 1) from None


def text_lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, line with its ending) one at a time. Line endings are \\n, \\r\\n or a
    lone \\r (Excel for Mac); a byte that is not UTF-8 is refused naming its line."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    if (refusal := sniff(buffered.peek(4096)[:4096])) is not None:
        raise refusal
    text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape", newline="")
    for number, line in enumerate(text, start=1):
        if (bad := _ESCAPED.search(line)) is not None:
            raise _bad_byte(ord(bad.group()) - 0xDC00, number)
        if "\x00" in line:
            raise file_problem(f"a NUL byte, so the file is not plain text: {SAVE_AS_UTF8}", field="(encoding)", line=number)
        yield number, line
