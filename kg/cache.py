"""The caches of `kg build`: extraction records, and the named graphs made of them (GraphCache).

A record entry holds what extracting a text gave: the record's head
(kg.resolve.RecordHead, what a build holds of every record) and the record,
or the reason the text holds no document.  Its key is the SHA-256 of the extractor's version
(a hash of every code and data file of the ``kg`` package, of ``ontology/``
and of ``data/units/``, which the gazetteer reads), the file name (the
record's ``source``) and the SHA-256 of the NFC text, so a rebuild of an
unchanged corpus extracts nothing, a changed file is extracted again, and any
change to the package's code or data makes every entry stale.

Entries are pickles written atomically (temporary file, rename) under
``$KG_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kg`` or ``~/.cache/kg``), in
``records/<2 hex>/<key>.pickle`` and ``graphs/<2 hex>/<key>.pickle``; builds
running at the same time may share the folder.  An entry that cannot be read
is made again.  Nothing is ever evicted: each version of the code leaves its
own entries (the graphs of the national cascade of one scheme, 9,624 plans,
take about 0.85 GB), so delete the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from kg import atomic

# what the output of extract_text may depend on besides its input: the package's code and data, the
# ontology's vocabularies and the unit tables the gazetteer reads (data/units/, when the package runs from
# its source tree)
_KG = Path(__file__).resolve().parent
_ROOT = _KG.parent
_SUFFIXES = {".py", ".json", ".csv", ".ttl", ".txt", ".tsv"}
FORMAT = 5  # bump when the entry layout or the version's recipe changes


def _version_files() -> list[Path]:
    files = [f for f in _KG.rglob("*") if f.suffix in _SUFFIXES and "__pycache__" not in f.parts and f.is_file()]
    for folder in (_ROOT / "ontology", _ROOT / "data" / "units"):
        if folder.is_dir():
            files += [f for f in folder.rglob("*") if f.suffix in _SUFFIXES and f.is_file()]
    return sorted(files)


def extractor_version() -> str:
    """SHA-256 of what extraction may read: every .py/.json/.csv/.ttl/... file of the kg package, ontology/
    and data/units/ (an edit anywhere in the package makes the cache stale: safe rather than clever)."""
    h = hashlib.sha256(f"kg-cache {FORMAT} py{sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for path in _version_files():
        h.update(f"{path.relative_to(_ROOT).as_posix()}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def build_version() -> str:
    """What a build's graphs may depend on besides their inputs: the extractor's version and the tables of
    data/ the graph reads (data/successions.csv ...)."""
    h = hashlib.sha256(extractor_version().encode())
    data = _ROOT / "data"
    for f in sorted(data.glob("*.csv")) if data.is_dir() else []:
        h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


_HOST = "".join(c if c.isalnum() else "_" for c in os.uname().nodename) or "host"


def _running(pid: int) -> bool:
    """Whether a process of this machine has that id."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _entry(path: Path, key: str, size: int) -> tuple | None:
    """The pickled tuple at `path`, when it is one of `size` items led by `key`; None when it is missing or
    broken (the entry is then made again and written again)."""
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a broken entry is a miss
        return None
    if not (isinstance(value, tuple) and len(value) == size and value[0] == key):
        return None
    return value


def default_dir() -> Path:
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


class RecordCache:
    """Extraction results by content hash."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_dir()
        self.version = extractor_version()
        self.hits = self.misses = 0

    def key(self, name: str, text: str) -> str:
        return self.key_of(name, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())

    def key_of(self, name: str, text_sha256: str) -> str:
        """The key of a text known by the SHA-256 of its UTF-8 (a file the build need not read again)."""
        h = hashlib.sha256(self.version.encode("ascii"))
        h.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0" + text_sha256.encode("ascii"))
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / "records" / key[:2] / f"{key}.pickle"

    def head(self, key: str):
        """The cached outcome, ("record", the record's head: kg.resolve.RecordHead, reading the record from this
        entry when asked) or ("nodoc", message), or None.  Only the head is read: the record is a second pickle
        after it."""
        value = _entry(self._path(key), key, 3)
        if value is None:
            self.misses += 1
            return None
        from kg.resolve import RecordHead

        if value[1] == "record":
            if not isinstance(value[2], RecordHead):
                self.misses += 1
                return None
            self.hits += 1
            return "record", value[2].loader(lambda: self.record(key))
        self.hits += 1
        return value[1], value[2]

    def record(self, key: str):
        """The record of an entry (the pickle after its head), or None when it cannot be read."""
        try:
            with open(self._path(key), "rb") as fh:
                first = pickle.load(fh)
                if not (isinstance(first, tuple) and first and first[0] == key and first[1] == "record"):
                    return None
                record = pickle.load(fh)
        except Exception:  # noqa: BLE001 - a broken entry is a miss
            return None
        from kg.records import Record

        return record if isinstance(record, Record) else None

    def put(self, key: str, outcome: tuple, record=None) -> bool:
        """Store an outcome, ("record", head) with its `record`, or ("nodoc", message); False when the cache
        cannot be written, which is not an error (the build goes on)."""
        data = pickle.dumps((key, *outcome), protocol=pickle.HIGHEST_PROTOCOL)
        if record is not None:
            data += pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            atomic.write_bytes(self._path(key), data, fsync=False)
        except OSError:
            return False
        return True


class GraphCache:
    """Named graphs as a build made them, by what they were made from, so that a rebuild makes again only the
    graphs of changed files and those whose context changed (kg.build.made_graphs).

    An entry's key is the SHA-256 of the build's version (build_version), the graph's IRI and its context
    (kg.graph.Job: for a source, its record's key and the documents it was resolved to).  It holds the digests
    of the triples the graph may state (kg.graph.Claims), the digest of those an earlier graph stated (so the
    entry serves only when the graphs before it claim the same ones), what making it added to the builder
    (kg.graph.Effects) and the graph as written (kg.build.Made).  Entries are pickles in
    ``graphs/<2 hex>/<key>.pickle`` beside the records; one that cannot be read is made again.  A build's
    entries wait in a folder of their own under ``graphs/pending/`` and are moved in place (`commit`) only
    once the build has checked its graphs and switched them in: a build that fails leaves no entry behind
    (`discard`).  Like the records, nothing is evicted.
    """

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_dir()
        self.version = build_version()
        self._pending: Path | None = None
        self._waiting: list[str] = []

    def key(self, name: str, context: bytes) -> str:
        h = hashlib.sha256(self.version.encode("ascii"))
        h.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(context)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / "graphs" / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        """(keys, claimed, effects, made) kept under `key`, or None."""
        value = _entry(self._path(key), key, 5)
        return value[1:] if value is not None else None

    def put(self, key: str, keys: bytes, claimed: bytes, effects, made) -> None:
        """Keep a graph once the build is done (`commit`); a cache that cannot be written is not an error (the
        build goes on)."""
        try:
            if self._pending is None:
                import secrets

                self._pending = self._pending_root() / f"{_HOST}-{os.getpid()}-{secrets.token_hex(6)}"
                self._pending.mkdir(parents=True)
            with open(self._pending / key, "wb") as fh:
                pickle.dump((key, keys, claimed, effects, made), fh, protocol=pickle.HIGHEST_PROTOCOL)
            self._waiting.append(key)
        except OSError:
            pass

    def commit(self) -> None:
        """Move the entries of this build in place (the build succeeded)."""
        for key in self._waiting:
            try:
                self._path(key).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self._pending / key, self._path(key))  # type: ignore[operator]  # set by put
            except OSError:
                pass
        self.discard()

    def discard(self) -> None:
        """Drop the entries of this build (it failed), and those a build of this machine that is no longer
        running left behind (killed before it could commit or discard them)."""
        import shutil

        if self._pending is not None:
            shutil.rmtree(self._pending, ignore_errors=True)
        self._pending, self._waiting = None, []
        try:
            left = list(self._pending_root().iterdir())
        except OSError:
            return
        for folder in left:
            parts = folder.name.split("-")  # host (no "-" in it), process id, random
            if len(parts) == 3 and parts[0] == _HOST and parts[1].isdigit() and not _running(int(parts[1])):
                shutil.rmtree(folder, ignore_errors=True)

    def _pending_root(self) -> Path:
        return self.folder / "graphs" / "pending"
