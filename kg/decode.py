"""Bytes to text: how an article file's bytes are decoded (kg.io reads the file and calls
:func:`decode`). Pure functions over bytes: a BOM, UTF-16 without one, a declared charset,
UTF-8, UTF-8 with a few bad bytes, GB18030, then cp1252; binary data refused."""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

_MAGIC = ((b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF87a", "a GIF image"),
          (b"GIF89a", "a GIF image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
          (b"\x1f\x8b", "gzip-compressed data"), (b"\x7fELF", "an executable"),
          (b"\xd0\xcf\x11\xe0", "an OLE document (.doc/.xls)"),
          (b"\xfd7zXZ", "xz-compressed data"), (b"SQLite format 3", "an SQLite database"))
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|"""
                       rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "latin-1": "cp1252",
            "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "windows-1252": "cp1252"}
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes and say how: a BOM (UTF-8, UTF-16, UTF-32) wins; then UTF-16
    without a BOM (by its zero bytes); then an HTML/XML-declared charset that fits; then
    UTF-8; then UTF-8 with a few invalid bytes replaced (U+FFFD) when the rest is clearly
    UTF-8; then GB18030 when the bytes read as Chinese; else cp1252, the stated fallback
    (which reads any byte). Raises ValueError for binary data."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ValueError(f"binary data ({what}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_strict_or_replace(data, codec))
    bomless = _utf16_without_bom(data)
    if bomless:
        return _checked(_strict_or_replace(data, bomless))
    if b"\x00" in data:
        raise ValueError("binary data (NUL bytes), not text")
    declared = _declared(data)
    if declared and declared != "utf-8":
        try:
            return _checked((data.decode(declared), f"{declared} (declared)"))
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return _checked((data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    invalid = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    multibyte = sum(1 for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte > 4 * invalid:
        plural = "s" if invalid != 1 else ""
        return _checked((replaced, f"utf-8 with {invalid} invalid byte{plural} replaced by U+FFFD"))
    chinese = _as_gb18030(data)
    if chinese is not None:
        return _checked((chinese, "gb18030"))
    return _checked((_cp1252(data), "cp1252 (fallback: not UTF-8)"))


def _strict_or_replace(data: bytes, codec: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        codec += " with invalid sequences replaced by U+FFFD"
    return text.lstrip("\ufeff"), codec


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte is mostly zero (ASCII-range UTF-16)."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _declared(data: bytes) -> str | None:
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _as_gb18030(data: bytes) -> str | None:
    """The text if the bytes are GB18030 Chinese: valid, and most of their two-byte characters
    in the GB2312 block (both bytes 0xA1-0xFE), which cp1252 text almost never is."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch.encode("gb18030") for ch in text if ord(ch) > 0x7F]
    if len(wide) < 2:
        return None
    gb2312 = sum(1 for b in wide if len(b) == 2 and b[0] >= 0xA1 and b[1] >= 0xA1)
    return text if gb2312 >= 0.8 * len(wide) else None


@lru_cache(maxsize=1)
def cp1252_c1_table() -> dict[int, str]:
    """C1 code point -> the cp1252 character its byte stands for (a ``str.translate`` table);
    kg.textin reads stray C1 controls with it too."""
    table = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            pass  # cp1252 leaves 81, 8D, 8F, 90, 9D undefined: they stay C1 controls (WHATWG)
    return table


def _cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(cp1252_c1_table())


def _checked(decoded: tuple[str, str]) -> tuple[str, str]:
    """Refuse text that is mostly control characters (binary data that happened to decode)."""
    text, codec = decoded
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if sample and controls > max(8, 0.02 * len(sample)):
        raise ValueError(f"binary data ({100 * controls / len(sample):.0f}% control characters), not text")
    return text, codec
