"""Casing of titles printed in capitals ("THỰC HIỆN ĐỀ ÁN “HỖ TRỢ ...”, GIAI ĐOẠN I").

A trích yếu is usually printed in capitals; sentence-casing it loses the proper
capitals ("Đề án", "An Giang", "giai đoạn I").  They are recovered, in order,
from a mixed-case occurrence of the same words elsewhere in the text, from the
place names of the jurisdiction, and by keeping Roman numerals upper case.
"""

from __future__ import annotations

import re

_ROMAN = re.compile(r"^[IVXLC]+$")
_WORD = re.compile(r"[^\W\d_]+")
# where a run copied from the text starts a sentence, its first capital says nothing
_SENTENCE_START = re.compile(r"(?:^|[.:;!?“\"(]\s*|\n\s*(?:[-–•+*]|\d+[.)]|[a-zđ]\))?\s*)$")


def sentence_case(s: str) -> str:
    """Lower-case a capitals-only string, keeping the first letter and the first letter after “ upper."""
    s = re.sub(r"\s+", " ", s).strip()
    if s.isupper():
        s = s.lower()
        s = re.sub(r"“(\w)", lambda m: "“" + m.group(1).upper(), s)
    return s[:1].upper() + s[1:]


def _mixed_text(text: str) -> str:
    """The lines of ``text`` that are not all capitals (where casing carries information)."""
    return "\n".join(ln for ln in text.splitlines() if not ln.isupper())


def _copy_case(target: str, source: str) -> str:
    """``target`` with the letter casing of ``source`` (same word, any tone placement)."""
    if len(target) != len(source):
        return source[:1].isupper() and target[:1].upper() + target[1:] or target
    return "".join(t.upper() if s.isupper() else t.lower() for t, s in zip(target, source))


def recase_title(caps: str, text: str, places: list[str] | None = None) -> str:
    """Sentence-case a capitals-only title, restoring the capitals the text itself uses.

    Args:
        caps: the title as printed ("THỰC HIỆN ĐỀ ÁN “HỖ TRỢ ...”, GIAI ĐOẠN I: 2023 - 2025").
        text: the whole source text, searched for mixed-case occurrences of the title's words.
        places: place names of the jurisdiction ("An Giang", "Tràng Định").

    Returns:
        The title in sentence case with proper capitals ("Thực hiện Đề án “Hỗ trợ ...”,
        giai đoạn I: 2023 - 2025"); a title that is not all capitals is returned re-spaced.
    """
    flat = re.sub(r"\s+", " ", caps).strip()
    if not flat.isupper():
        return sentence_case(flat)
    out = list(sentence_case(flat))
    words = [(m.start(), m.end()) for m in _WORD.finditer(flat)]
    mixed = _mixed_text(text)
    i = 0
    while i < len(words):
        done = False
        for k in range(min(len(words), i + 12), i + 1, -1):  # the longest run of >= 2 words found
            run = [flat[a:b] for a, b in words[i:k]]
            gaps = [flat[words[n][1]:words[n + 1][0]] for n in range(i, k - 1)]
            if any(len(g.strip()) > 2 for g in gaps):
                continue
            pat = r"(?<!\w)" + "".join(re.escape(w) + (r"[\W_]{1,4}" if n < len(run) - 1 else "")
                                       for n, w in enumerate(run)) + r"(?!\w)"
            m = re.search(pat, mixed, re.I)
            if not m:
                continue
            found = _WORD.findall(m.group(0))
            if len(found) != len(run):
                continue
            start_of_sentence = bool(_SENTENCE_START.search(mixed[max(0, m.start() - 12):m.start()]))
            for n, ((a, b), src) in enumerate(zip(words[i:k], found)):
                if n == 0 and start_of_sentence:
                    continue
                out[a:b] = _copy_case("".join(out[a:b]), src)
            i, done = k, True
            break
        if not done:
            i += 1
    title = "".join(out)
    for a, b in words:  # "giai đoạn I", "khóa XV"
        if _ROMAN.match(flat[a:b]):
            title = title[:a] + flat[a:b] + title[b:]
    for place in places or []:
        title = re.sub(rf"(?<!\w){re.escape(place)}(?!\w)", place, title, flags=re.I)
    return title[:1].upper() + title[1:]
