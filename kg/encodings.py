"""Decoding the bytes of a plain-text file: Unicode forms and the legacy Vietnamese encodings.

Offices still keep texts typed before Unicode: with the .VnTime fonts (TCVN3,
"ABC", TCVN 5712:1993), with the VNI-Times fonts (VNI-Windows) or saved by
Windows as Windows-1258.  Such a file is not UTF-8; it is decoded here with
each candidate encoding and the one whose words are Vietnamese syllables is
kept.  When none gives Vietnamese words the file is refused (mojibake is never
extracted silently).  The conversion tables are data files,
``data/encodings/tcvn3.csv`` and ``data/encodings/vni.csv``, which say where
they come from.

A text that is valid UTF-8 but holds a legacy text read the wrong way (a
.VnTime text pasted into a Unicode editor: "Céng hoµ x· héi", or UTF-8
read as Windows-1252 and saved again: "Cá»™ng hÃ²a") is repaired the same
way, or refused.

Decoding order (:func:`decode_text`): a byte order mark (UTF-8, UTF-16 LE/BE,
UTF-32), UTF-16 without a mark (told by its zero bytes), UTF-8, then the three
8-bit Vietnamese encodings.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "encodings"

LEGACY = ("tcvn3", "vni", "cp1258")  # the 8-bit encodings tried for a text that is not UTF-8
NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime fonts)", "vni": "VNI-Windows (VNI-Times fonts)",
         "cp1258": "Windows-1258", "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM",
         "utf-16": "UTF-16 with BOM", "utf-16-le": "UTF-16 LE without BOM", "utf-16-be": "UTF-16 BE without BOM",
         "utf-32": "UTF-32 with BOM", "cp1252-utf8": "UTF-8 read as Windows-1252 (double-encoded)"}

MIN_VIETNAMESE = 0.85  # share of the words with a non-ASCII letter that must be Vietnamese syllables


class EncodingError(ValueError):
    """Bytes that no supported encoding turns into Vietnamese text; the message says what was tried."""


# --- tables --------------------------------------------------------------------------------------

def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _cp1252(data: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined read as Latin-1 (so every byte decodes)."""
    return "".join(codecs.decode(bytes([b]), "cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else chr(b) for b in data)


@lru_cache(maxsize=1)
def _tcvn3_table() -> dict[int, str]:
    table = {b: chr(b) for b in range(0x80)}
    for b in range(0x80, 0xA1):
        table[b] = _cp1252(bytes([b]))
    for row in _rows("tcvn3.csv"):
        table[int(row["byte"], 16)] = chr(int(row["unicode"][2:], 16))
    return table


@lru_cache(maxsize=1)
def _vni_table() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = {row["vni_text"]: "".join(chr(int(u[2:], 16)) for u in row["unicode"].split())
             for row in _rows("vni.csv")}
    # longest sequences first: "oâ" (o circumflex) before "ô" (o horn)
    pattern = re.compile("|".join(re.escape(s) for s in sorted(pairs, key=len, reverse=True)))
    return pattern, pairs


@lru_cache(maxsize=1)
def _byte_map() -> list[str]:
    t = _tcvn3_table()
    return [t[b] for b in range(256)]


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes as Unicode, NFC; uppercase restored where the text was set in an uppercase font.

    The .VnTimeH fonts draw TCVN3's lowercase letters as capitals, so "KÕ HO¹CH" (bytes of "kế hoạch"
    around ASCII capitals) is "KẾ HOẠCH": :func:`_restore_caps`.
    """
    table = _byte_map()
    text = "".join(table[b] for b in data) if len(data) < 4096 else data.decode("latin-1").translate(
        {b: table[b] for b in range(0x80, 0x100)})
    return _restore_caps(unicodedata.normalize("NFC", text))


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes as Unicode, NFC: read as Windows-1252, then each letter sequence of vni.csv replaced."""
    pattern, pairs = _vni_table()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: pairs[m.group(0)], _cp1252_fast(data)))


def _cp1252_fast(data: bytes) -> str:
    if not any(b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for b in data):
        return data.decode("cp1252")
    return _cp1252(data)


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 (precomposed base letters, combining tone marks) as Unicode NFC.

    Raises:
        UnicodeDecodeError: a byte Windows-1258 leaves undefined.
    """
    return unicodedata.normalize("NFC", data.decode("cp1258"))


_DECODERS = {"tcvn3": decode_tcvn3, "vni": decode_vni, "cp1258": decode_cp1258}


# --- is it Vietnamese? ---------------------------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_NUCLEI = ("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi "
           "ưu ươ yê iêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu yêu uê uơ")
_SYLLABLE = re.compile(f"^{_ONSET}(?:{'|'.join(sorted(set(_NUCLEI.split()), key=len, reverse=True))})"
                       f"(?:ch|nh|ng|c|m|n|p|t)?$")
_TOKEN = re.compile(r"[^\s0-9!-/:-@\[-`{-~\u2010-\u2027\u00a0]+")  # runs between spaces, digits, ASCII punctuation


@lru_cache(maxsize=1 << 15)
def is_syllable(word: str) -> bool:
    """Whether a word is one Vietnamese syllable (any case, NFC or not): onset, vowels, final consonant, one tone."""
    d = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in d) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES))
    if not all(("a" <= ch <= "z") or ch in "ăâêôơưđ" for ch in base):
        return False
    return bool(_SYLLABLE.match(base))


def vietnamese_score(text: str, limit: int = 20000) -> tuple[int, int]:
    """(words with a non-ASCII character that are Vietnamese syllables, all words with a non-ASCII character),
    over the first `limit` such words."""
    good = total = 0
    for m in _TOKEN.finditer(text):
        w = m.group(0)
        if w.isascii():
            continue
        total += 1
        good += is_syllable(w)
        if total >= limit:
            break
    return good, total


def _ratio(score: tuple[int, int]) -> float:
    return score[0] / score[1] if score[1] else 1.0


# --- uppercase fonts ------------------------------------------------------------------------------

_VN_LOWER = set("àảãáạăằẳẵắặâầẩẫấậèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵđ")
_WORD = re.compile(r"[^\W\d_]+")


def _restore_caps(text: str) -> str:
    """Uppercase the Vietnamese letters of words typed in an uppercase TCVN3 font (.VnTimeH).

    Such a font draws TCVN3's lowercase codes as capitals, so the bytes of "KẾ HOẠCH" read "Kế HOạCH".  A word
    is uppercase when it has ASCII letters, all capitals, and one of them is not its first letter ("HOạCH",
    "áN"); a word that only starts with a capital, or has no ASCII letter ("Kế", "đề"), is uppercase when it
    stands next to an uppercase word holding a Vietnamese letter on its line ("Kế HOẠCH" -> "KẾ HOẠCH";
    "Số: 12/KH-UBND" stays as it is: "KH" holds no Vietnamese letter).
    """
    if not any(ch in _VN_LOWER for ch in text):
        return text
    out = []
    for line in text.split("\n"):
        if not any(ch in _VN_LOWER for ch in line):
            out.append(line)
            continue
        # TCVN3 has no toned capitals: a line (a paragraph of a word processor) that starts with a toned
        # lowercase letter followed by a lowercase letter began with a capital drawn by .VnTimeH ("ủy ban" -> "Ủy ban")
        m0 = re.match(r"\s*", line)
        k = m0.end() if m0 else 0
        if k + 1 < len(line) and line[k] in _VN_LOWER and line[k] not in "ăâêôơưđ" and line[k + 1].islower():
            line = line[:k] + line[k].upper() + line[k + 1:]
        words = list(_WORD.finditer(line))
        strong, weak, vn = [], [], []
        for m in words:
            w = m.group(0)
            asc = [c for c in w if c.isascii()]
            has_vn = any(c in _VN_LOWER for c in w)
            upper_only = bool(asc) and not any(c.islower() for c in asc)
            strong.append(upper_only and any(c.isupper() for c in w[1:] if c.isascii()))
            weak.append(has_vn and not strong[-1] and (not asc or (upper_only and w[0].isupper())))
            vn.append(has_vn)
        up = [s_ and v for s_, v in zip(strong, vn)]
        if not any(up):
            out.append(line)
            continue
        for order in (range(len(words)), range(len(words) - 1, -1, -1)):  # spread to weak neighbours both ways
            for i in order:
                if weak[i] and not up[i] and ((i > 0 and up[i - 1]) or (i + 1 < len(words) and up[i + 1])):
                    up[i] = True
        chars = list(line)
        for m, u in zip(words, up):
            if u:
                chars[m.start():m.end()] = [c.upper() if len(c.upper()) == 1 else c for c in m.group(0)]
        out.append("".join(chars))
    return "\n".join(out)


# --- the decoder -----------------------------------------------------------------------------------

def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the zero bytes of `data` fall on one side of most code units."""
    head = data[:8192]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    return None


def _best_legacy(data: bytes) -> tuple[str, str, float, list[str]]:
    """The legacy encoding that gives the most Vietnamese text: (name, text, ratio, what was tried)."""
    tried, best = [], None
    for enc in LEGACY:
        try:
            text = _DECODERS[enc](data)
        except UnicodeDecodeError:
            tried.append(f"{NAMES[enc]}: undefined bytes")
            continue
        score = vietnamese_score(text)
        r = _ratio(score)
        tried.append(f"{NAMES[enc]}: {score[0]}/{score[1]} words Vietnamese")
        if best is None or (r, score[0]) > (best[2], best[3]):
            best = (enc, text, r, score[0])
    if best is None:
        return "", "", 0.0, tried
    return best[0], best[1], best[2], tried


def decode_text(data: bytes) -> tuple[str, str]:
    """The NFC text of a plain-text file and the name of the encoding it was read in.

    Raises:
        EncodingError: NUL bytes outside UTF-16/32 (a binary file), invalid UTF-16, or 8-bit bytes that no
            legacy Vietnamese encoding turns into Vietnamese words, or UTF-8 text that is mojibake.
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"invalid {NAMES[enc]} text (bad bytes at offset {exc.start})") from None
            return _checked_unicode(text, enc)
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise EncodingError("binary file (contains NUL bytes), not a text document")
        enc = utf16
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise EncodingError(f"binary file (NUL bytes, and not UTF-16: bad bytes at offset {exc.start})") from None
        if "\x00" in text:
            raise EncodingError("binary file (contains NUL characters), not a text document")
        return _checked_unicode(text, enc)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        enc, text, r, tried = _best_legacy(data)
        if enc and r >= MIN_VIETNAMESE:
            return text, enc
        raise EncodingError(f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}) nor a "
                            f"Vietnamese legacy encoding ({'; '.join(tried)})") from None
    return _checked_unicode(text, "utf-8")


def _to_cp1252(text: str) -> bytes | None:
    """The bytes a Windows-1252 reading of which gave `text` (the undefined bytes read as Latin-1), or None."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _latin(word: str) -> bool:
    """Whether a word is written with Latin letters and symbols of Windows-1252 (or U+FFFD): mojibake's stock."""
    return all(ord(c) < 0x250 or c == "\ufffd" or _in_cp1252(c) for c in word)


@lru_cache(maxsize=4096)
def _in_cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _checked_unicode(text: str, enc: str) -> tuple[str, str]:
    """A text decoded from a Unicode form, repaired when it holds a legacy text read the wrong way.

    Raises:
        EncodingError: most of its accented words are neither Vietnamese nor another script, and no repair
            makes them Vietnamese (mojibake).
    """
    text = unicodedata.normalize("NFC", text)
    score = vietnamese_score(text)
    if score[1] < 8 or _ratio(score) >= 0.5:
        return text, enc
    # mostly not Vietnamese: a legacy text read as Windows-1252 and saved as Unicode?
    raw = _to_cp1252(text)
    if raw is not None:
        candidates = []
        try:
            candidates.append(("cp1252-utf8", unicodedata.normalize("NFC", raw.decode("utf-8"))))
        except UnicodeDecodeError:
            pass
        for legacy in ("tcvn3", "vni"):
            candidates.append((legacy, _DECODERS[legacy](raw)))
        r, name, fixed_text = max(((_ratio(vietnamese_score(t)), n, t) for n, t in candidates), key=lambda c: c[0])
        if r >= MIN_VIETNAMESE:
            return fixed_text, f"{NAMES[enc]} holding {NAMES[name]}"
    bad = sorted({m.group(0) for m in _TOKEN.finditer(text) if not m.group(0).isascii()
                  and not is_syllable(m.group(0))})
    if sum(map(_latin, bad)) < len(bad) / 2:  # another script (Chinese, Russian, ...): not for kg, but not mojibake
        return text, enc
    raise EncodingError(f"mojibake: only {score[0]} of {score[1]} words with accents are Vietnamese in "
                        f"{NAMES[enc]} (e.g. {', '.join(bad[:5])}), and no legacy encoding repairs it")
