"""The ASCII key of a text (kg.text.strip_diacritics): what search, identity and slugs compare."""

from __future__ import annotations

import unicodedata

import pytest

from kg.text import slugify, strip_diacritics


@pytest.mark.parametrize("text, key", [
    ("Ủy ban nhân dân tỉnh Lạng Sơn", "uy ban nhan dan tinh lang son"),
    ("Uỷ ban nhân dân tỉnh Thanh Hoá", "uy ban nhan dan tinh thanh hoa"),  # the older tone placement
    ("SỞ NÔNG NGHIỆP VÀ PTNT", "so nong nghiep va ptnt"),
    ("Đảng ủy xã Đông Anh", "dang uy xa dong anh"),
    ("Sở NN&PTNT; UBND-xã", "so nn ptnt ubnd xa"),
    ("Cư M'gar", "cu m gar"),
    ("", ""),
])
def test_vietnamese_names_lose_tones_case_and_punctuation(text, key):
    assert strip_diacritics(text) == key
    assert strip_diacritics(unicodedata.normalize("NFD", text)) == key  # decomposed input: the same key


def test_other_scripts_keep_their_letters_and_lose_their_marks():
    assert strip_diacritics("עִבְרִית") == "עברית"  # Hebrew points (combining) dropped, letters kept
    assert strip_diacritics("Ελληνικά") == "ελληνικα"
    assert strip_diacritics("a\u034fb") == "a b"  # the grapheme joiner (combining class 0) is no mark: a word break
    assert strip_diacritics("Ångström café") == "angstrom cafe"


def test_slugs_are_ascii():
    assert slugify("Kế hoạch 305/KH-UBND") == "ke-hoach-305-kh-ubnd"
