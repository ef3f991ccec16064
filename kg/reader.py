"""Reading source files into NFC text, with one clear reason when a file cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.text import nfc

TEXT_SUFFIXES = {".txt", ".text", ".md"}
SUFFIXES = TEXT_SUFFIXES


class SourceError(Exception):
    """A source file that cannot be read as a document; the message says why."""


@dataclass
class Source:
    """A source file read as text."""

    path: Path
    name: str  # file name, the record's `source`
    text: str  # NFC
    sha256: str


def read_source(path: Path) -> Source:
    """Read one file as NFC text.

    Raises:
        SourceError: the file is missing, empty, binary or not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError("empty file")
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return Source(path, path.name, nfc(text), hashlib.sha256(data).hexdigest())


def collect(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to read from files and folders (folders: every supported file below, sorted).

    Returns:
        (files, problems) where problems are (path, reason) for paths that do not exist.
    """
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.is_file():
            files.append(p)
        else:
            problems.append((p, "no such file or folder"))
    seen, unique = set(), []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, problems
