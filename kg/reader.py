"""Reading source files into NFC text, with one clear reason when a file cannot be read.

Offices publish their documents as plain text, Word files (``.docx``, and the
legacy ``.doc`` read through Debian's ``antiword``), PDF files with a text
layer and web pages of provincial portals (``.html``).  Each
is turned into plain text here: paragraphs on lines of their own, table rows
as cells joined by " | ".  Spans in extraction records count characters of
exactly this text, which the build writes next to the graph.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from kg.encodings import EncodingError, decode_text
from kg.limits import check_size, time_limit, time_limit_seconds
from kg.text import nfc

TEXT_SUFFIXES = {".txt", ".text"}  # not .md: a folder's README or SOURCES.md is not a document
DOCX_SUFFIXES = {".docx"}
DOC_SUFFIXES = {".doc"}  # legacy Word (97-2003), read through antiword when it is installed
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | DOC_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES


class SourceError(Exception):
    """A source file that cannot be read as a document; the message says why."""


class NoDocumentError(SourceError):
    """A readable text in which no official document was found (an article, a list, chatter).

    ``record`` is the empty extraction record of the file, for those who print it.
    """

    def __init__(self, message: str, record=None) -> None:
        super().__init__(message)
        self.record = record


@dataclass
class Source:
    """A source file read as text."""

    path: Path
    name: str  # file name, the record's `source`
    text: str  # NFC
    sha256: str
    encoding: str = "utf-8"  # what a plain-text file was decoded from (kg.encodings.NAMES); "" for other formats
    text_sha256: str = ""  # SHA-256 of the UTF-8 of `text`, when known (kg.build)


def read_source(path: Path) -> Source:
    """Read one file as NFC text (plain text, .docx, .doc through antiword, .pdf with a text layer, .html).

    Plain text may be UTF-8 (with or without BOM), UTF-16 (with or without BOM) or one of the legacy
    Vietnamese encodings TCVN3 (ABC), VNI-Windows and Windows-1258, which are converted (kg.encodings).
    A file over the size limit, or whose text is, is not read; reading one file has a CPU time limit
    (kg.limits: KG_MAX_FILE_MB, KG_TIME_LIMIT).

    Raises:
        SourceError: the file is missing, empty, too large, binary, in no encoding kg reads (or mojibake),
            a .docx/.doc/.pdf/.html file that cannot be read (corrupt, encrypted with a password, image-only),
            a .doc file where antiword is not installed, or reading it ran over the time limit.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    check_size(size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    check_size(len(data))  # it grew after stat (or stat lies: /proc)
    if not data.strip():
        raise SourceError("empty file")
    suffix = path.suffix.lower()
    encoding = ""
    with time_limit(what="reading the file"):
        if suffix in DOCX_SUFFIXES:
            text = docx_text(data)
        elif suffix in DOC_SUFFIXES:
            text = doc_text(path)
        elif suffix in PDF_SUFFIXES:
            text = pdf_text(data)
        elif suffix in HTML_SUFFIXES:
            text = html_text(data)
        else:
            text, encoding = _plain_text(data)
        check_size(len(text), "text")
        if not text.strip():
            raise SourceError("no text in the file")
        text = nfc(text)
    return Source(path, path.name, text, hashlib.sha256(data).hexdigest(), encoding)


def _plain_text(data: bytes) -> tuple[str, str]:
    """(NFC text, encoding name): kg.encodings.decode_text with its errors as SourceError."""
    try:
        return decode_text(data)
    except EncodingError as exc:
        raise SourceError(str(exc)) from None


# --- .docx: the zip's word/document.xml, read with the standard library -------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# tracked changes: what was deleted, or moved away from here, is not part of the accepted text
_REJECTED = {f"{_W}del", f"{_W}moveFrom"}


def _kept(elem: ElementTree.Element):
    """The nodes under `elem` in document order, without the subtrees of deletions and moved-from text."""
    stack = [elem]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed([c for c in node if c.tag not in _REJECTED]))


def _docx_runs(elem: ElementTree.Element) -> str:
    """Text of a paragraph: w:t runs, tabs and line breaks (tracked changes accepted: insertions and moved-to
    text kept, deletions and moved-from text dropped)."""
    parts: list[str] = []
    for node in _kept(elem):
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _deleted_mark(elem: ElementTree.Element, props: str) -> bool:
    """Whether a paragraph's mark (props "pPr") or a table row (props "trPr") is a tracked deletion."""
    pr = elem.find(f"{_W}{props}")
    if pr is None:
        return False
    if props == "trPr":
        return pr.find(f"{_W}del") is not None
    rpr = pr.find(f"{_W}rPr")
    return rpr is not None and (rpr.find(f"{_W}del") is not None or rpr.find(f"{_W}moveFrom") is not None)


def _docx_block(elem: ElementTree.Element, out: list[str]) -> None:
    for child in elem:
        if child.tag == f"{_W}p":
            line = _docx_runs(child)
            if line or not _deleted_mark(child, "pPr"):  # a paragraph deleted whole leaves no empty line
                out.append(line)
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                if _deleted_mark(row, "trPr"):
                    continue
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    paras = [_docx_runs(p) for p in cell.iter(f"{_W}p")]
                    cells.append(" ".join(p.strip() for p in paras if p.strip()))
                out.append(" | ".join(cells))
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            _docx_block(child, out)


def docx_text(data: bytes) -> str:
    """Plain text of a Word (.docx) file: one line per paragraph, table rows as "a | b | c".

    Tracked changes are read as if accepted: inserted text (w:ins) and text moved here (w:moveTo) are kept,
    deleted text (w:del, w:delText) and text moved away (w:moveFrom) are dropped, so a moved paragraph appears
    once, where it now stands; a paragraph or table row deleted whole leaves nothing.

    Raises:
        SourceError: not a zip, no word/document.xml, word/document.xml over the size limit, or broken XML.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                if "EncryptedPackage" in z.namelist():
                    raise SourceError("encrypted .docx file (password protected)")
                raise SourceError("not a Word document (.docx without word/document.xml)")
            check_size(z.getinfo("word/document.xml").file_size, "word/document.xml (uncompressed)")
            xml = z.read("word/document.xml")
    except zipfile.BadZipFile:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise SourceError("old Word format or encrypted .docx (OLE file), save it as .docx first") from None
        raise SourceError("corrupt .docx file (not a zip archive)") from None
    except (OSError, RuntimeError, zipfile.LargeZipFile) as exc:
        raise SourceError(f"corrupt .docx file ({exc})") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise SourceError(f"corrupt .docx file (word/document.xml: {exc})") from None
    body = root.find(f"{_W}body")
    out: list[str] = []
    _docx_block(body if body is not None else root, out)
    return "\n\n".join(line for line in out) + "\n"


# --- .doc: legacy Word (97-2003), read through antiword ------------------------------------------

ANTIWORD = "antiword"  # Debian package antiword (.ci/run installs it)
DOC_TIMEOUT_FLOOR = 30.0  # wall seconds antiword gets at least (a busy machine is slow, not hung)


def doc_text(path: Path) -> str:
    """Plain text of a legacy Word (.doc) file, from ``antiword -m UTF-8.txt -w 0`` (one line per paragraph).

    antiword runs in a process of its own with a wall-clock timeout (the file's time limit, at least
    DOC_TIMEOUT_FLOOR seconds); its output is decoded as UTF-8 (read_source NFC-normalises it).  antiword's
    text mode prints a table as lines of padded cells ("|recipients   |signer post  |"), a cell of several
    paragraphs over several lines, with nothing between rows; so when the text holds a table, antiword runs
    again for its DocBook output (``-x db``), which has the rows, and each table whose text agrees with it is
    written as the .docx reader writes one: a line per row, cells joined by " | " (see _doc_table_rows).

    Raises:
        SourceError: antiword is not installed, or it cannot read the file (not a Word document, encrypted,
            too old a Word version, ...) or ran over the timeout; the message names the file and the reason.
    """
    exe = shutil.which(ANTIWORD)
    if exe is None:
        raise SourceError(f"old Word format (.doc) file {path.name}: antiword is not installed "
                          "(apt-get install antiword), or save it as .docx")
    limit = time_limit_seconds()
    timeout = max(limit, DOC_TIMEOUT_FLOOR) if limit else None
    try:
        done = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", os.path.abspath(path)],
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SourceError(f"antiword did not finish reading {path.name} in time") from None
    except OSError as exc:
        raise SourceError(f"cannot run antiword on {path.name}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = " ".join(done.stderr.decode("utf-8", "replace").split())
        said = said.replace(os.path.abspath(path), path.name)[:200]
        raise SourceError(f"antiword cannot read {path.name} (old Word format .doc): "
                          f"{said or f'exit status {done.returncode}'}")
    check_size(len(done.stdout), "text")
    text = done.stdout.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    if any(_DOC_TABLE_LINE.match(line) for line in text.split("\n")):
        text = _doc_table_rows(text, _doc_tables(exe, path, timeout))
    return nfc(text)


_DOC_TABLE_LINE = re.compile(r"^\|.*\|$")  # a line of a table in antiword's text mode: "|cell   |cell   |"


def _doc_tables(exe: str, path: Path, timeout: float | None) -> list[list[list[str]]] | None:
    """The tables of antiword's DocBook output (``-x db``), in document order: rows of cells, a cell's lines
    joined by spaces; None when antiword fails, runs over the timeout or writes XML that does not parse."""
    try:
        done = subprocess.run([exe, "-x", "db", os.path.abspath(path)], capture_output=True, timeout=timeout,
                              check=False)
        root = ElementTree.fromstring(done.stdout) if done.returncode == 0 else None
    except (subprocess.TimeoutExpired, OSError, ElementTree.ParseError):
        return None
    if root is None:
        return None
    tables = []
    for table in root.iter("informaltable"):
        rows = []
        for row in table.iter("row"):
            cells = ["".join(entry.itertext()).split("\n") for entry in row.findall("entry")]
            rows.append([" ".join(part.strip() for part in cell if part.strip()) for cell in cells])
        tables.append(rows)
    return tables


def _doc_table_rows(text: str, tables: list[list[list[str]]] | None) -> str:
    """antiword's text with each table (a run of "|...|" lines) written as its DocBook rows, a line per row and
    cells joined by " | " (rows apart by a blank line, as .docx paragraphs are).

    A table is rewritten only when the text has as many tables as the DocBook output and the table's DocBook
    cells hold the same characters as its lines, spaces and "|" aside (counted, not in order: the text mode
    interleaves the lines of a row's cells); otherwise the text stays as antiword printed it.
    """
    lines = text.split("\n")
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _DOC_TABLE_LINE.match(lines[i]):
            j = i
            while j < len(lines) and _DOC_TABLE_LINE.match(lines[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    if tables is None or len(tables) != len(runs):
        return text

    def chars(s: str) -> list[str]:
        return sorted(re.sub(r"[\s|]+", "", s))

    out: list[str] = []
    last = 0
    for (i, j), rows in zip(runs, tables):
        out.extend(lines[last:i])
        if rows and chars("".join(lines[i:j])) == chars("".join(c for row in rows for c in row)):
            out.append("\n\n".join(" | ".join(row) for row in rows))
        else:
            out.extend(lines[i:j])
        last = j
    out.extend(lines[last:])
    return "\n".join(out)


# --- .pdf: the text layer, read with pypdf -------------------------------------------------------

def pdf_text(data: bytes) -> str:
    """Text layer of a PDF file, page after page.

    Raises:
        SourceError: pypdf missing, corrupt file, encrypted, or no text layer.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PdfReadError
    except ImportError:
        raise SourceError("reading .pdf files needs the pypdf package (pip install pypdf)") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")  # an empty user password is common: the file opens without asking
            except DependencyError as exc:  # AES needs the cryptography package
                raise SourceError(f"encrypted PDF that kg cannot open here ({exc})") from None
            except Exception:  # noqa: BLE001 - any failure means we cannot open it
                ok = 0  # type: ignore[assignment]  # PasswordType.NOT_DECRYPTED is 0, falsy like it
            if not ok:
                raise SourceError("encrypted PDF that needs a password (it does not open with an empty one)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise SourceError(f"corrupt PDF file ({type(exc).__name__}: {str(exc)[:80]})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise SourceError(f"unreadable PDF file ({type(exc).__name__}: {str(exc)[:80]})") from None
    text = "\n".join(p.rstrip() for p in pages)
    if not re.search(r"[^\W\d_]{2}", text):
        raise SourceError("PDF without a text layer (scanned image?); run OCR first")
    return text + "\n"


# --- .html: pages of provincial portals ----------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select",
              "svg", "iframe", "template", "head"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "main", "figure", "figcaption",
               "caption", "tbody", "thead", "center"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


class _HtmlText(HTMLParser):
    """Collects the visible text of a page: blocks on lines, table cells joined by " | "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.cells: list[list[str]] | None = None  # cells of the current table row
        self.rows_stack: list[list[list[str]] | None] = []

    def _emit(self, text: str) -> None:
        if self.cells is not None and self.cells:
            self.cells[-1].append(text)
        else:
            self.out.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip += 1
            return
        if self.skip:
            return
        if tag == "tr":
            self.rows_stack.append(self.cells)
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append([])
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS and self.skip:
                self.skip -= 1
            return
        if self.skip:
            return
        if tag == "tr" and self.cells is not None:
            row = [re.sub(r"\s+", " ", "".join(c)).strip() for c in self.cells]
            self.cells = self.rows_stack.pop() if self.rows_stack else None
            if any(row):
                self._emit("\n" + " | ".join(row) + "\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._emit(re.sub(r"[ \t\r\n\f\v]+", " ", data))


def _html_charset(data: bytes) -> str:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    return m.group(1).decode("ascii", "replace") if m else "utf-8"


def html_text(data: bytes) -> str:
    """Visible text of an HTML page, without scripts, styles and navigation.

    Raises:
        SourceError: the bytes cannot be decoded in the declared charset.
    """
    charset = _html_charset(data)
    try:
        raw = data.decode(charset if charset.lower() != "utf8" else "utf-8")
    except (LookupError, UnicodeDecodeError):
        try:
            raw, _ = decode_text(data)
        except EncodingError as exc:
            raise SourceError(f"HTML page: {exc}") from None
    parser = _HtmlText()
    parser.feed(raw)
    parser.close()
    lines = [ln.strip() for ln in "".join(parser.out).replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    # one blank line between blocks keeps paragraph breaks visible to the segmenter
    return re.sub(r"(?<!\n)\n(?!\n)", "\n\n", text) + "\n"


NOTE_SUFFIXES = {".md"}  # a folder's README or SOURCES.md: notes about the documents, not reported


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    return (f"not a supported format ({suffix or 'no extension'}); "
            f"kg reads {', '.join(sorted(SUFFIXES))}")


def _walk(root: Path, files: list[Path], problems: list[tuple[Path, str]]) -> None:
    """Every supported file below the folder `root`; every other entry that is not hidden or a note is a problem.

    Symbolic links are followed when they lead to a file or folder inside `root`
    (the real path counts), and reported otherwise ("symlink outside the input
    folder"); hidden files and folders (".git", ".DS_Store") are not walked.
    """
    top = root.resolve()
    visited = {top: root}

    def visit(folder: Path) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append((folder, f"cannot read folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                if entry.is_symlink():
                    try:
                        real = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        problems.append((path, "broken symlink (its target does not exist)"))
                        continue
                    if real != top and top not in real.parents:
                        problems.append((path, f"symlink outside the input folder (to {real})"))
                        continue
                    is_dir, is_file = real.is_dir(), real.is_file()
                else:
                    real = None
                    is_dir, is_file = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
            except OSError as exc:
                problems.append((path, f"cannot read: {exc.strerror or exc}"))
                continue
            if is_dir:
                key = real or path.resolve()
                if key in visited:
                    problems.append((path, f"same folder as {visited[key]}"))
                    continue
                visited[key] = path
                visit(path)
            elif not is_file:
                problems.append((path, "not a regular file"))
            elif path.suffix.lower() in SUFFIXES:
                files.append(path)
            elif path.suffix.lower() not in NOTE_SUFFIXES:
                problems.append((path, _unsupported(path)))

    visit(root)


def collect(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to read from files and folders (folders: every supported file below, sorted).

    A file named on the command line is read whatever its name; in a folder,
    every entry is either read or reported: another format, a folder that
    cannot be read, a symbolic link leading out of the folder or nowhere, a
    second name (link) of a file already read.  Hidden entries and ``.md``
    notes are left alone.

    Returns:
        (files, problems) where problems are (path, reason) for every path not read.
    """
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            found: list[Path] = []
            _walk(p, found, problems)
            files.extend(sorted(found))
        elif p.is_file():
            files.append(p)
        elif p.is_symlink():
            problems.append((p, "broken symlink (its target does not exist)"))
        else:
            problems.append((p, "no such file or folder"))
    # one path per file: its own name before a link to it, else the first in order
    real = [f.resolve() for f in files]
    linked = [Path(os.path.abspath(f)) != r for f, r in zip(files, real)]
    first: dict[Path, int] = {}
    for i in sorted(range(len(files)), key=lambda i: (linked[i], i)):
        first.setdefault(real[i], i)
    unique, said = [], set()
    for i, f in enumerate(files):
        j = first[real[i]]
        name = os.path.abspath(f)
        if j == i:
            unique.append(f)
        elif name != os.path.abspath(files[j]) and name not in said:  # the same name given twice is read once
            said.add(name)
            problems.append((f, f"same file as {files[j]}"))
    return unique, problems
