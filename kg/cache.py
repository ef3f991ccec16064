"""The extraction cache of `kg build`: one entry per (extractor version, file name, NFC text).

An entry holds what extracting that text gave: the record, or the reason the
text holds no document.  Its key is the SHA-256 of the extractor's version
(a hash of the sources of ``kg/extract/*.py`` and the modules they use), the
file name (the record's ``source``) and the NFC text, so a rebuild of an
unchanged corpus extracts nothing, a changed file is extracted again, and
any change to the extractor's code makes every entry stale.

Entries are pickles written atomically (temporary file, rename) under
``$KG_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kg`` or ``~/.cache/kg``), in
``records/<2 hex>/<key>.pickle``; builds running at the same time may share
the folder.  An entry that cannot be read is extracted again.  Nothing is
ever evicted: delete the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from kg import atomic

# what the output of extract_text depends on besides its input: these sources
_KG = Path(__file__).resolve().parent
_EXTRACTOR_FILES = ("records.py", "text.py", "agency_names.py")
FORMAT = 1  # bump when the entry layout changes


def extractor_version() -> str:
    """SHA-256 of the extractor's sources (kg/extract/*.py, kg/records.py, kg/text.py, kg/agency_names.py)."""
    h = hashlib.sha256(f"kg-cache {FORMAT} py{sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    files = sorted((_KG / "extract").glob("*.py")) + [_KG / name for name in _EXTRACTOR_FILES]
    for path in files:
        h.update(f"{path.relative_to(_KG).as_posix()}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


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
        h = hashlib.sha256(self.version.encode("ascii"))
        h.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / "records" / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        """The cached outcome, ("record", Record) or ("nodoc", message), or None."""
        try:
            with open(self._path(key), "rb") as fh:
                value = pickle.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # noqa: BLE001 - a broken entry is a miss; it is written again
            self.misses += 1
            return None
        if not (isinstance(value, tuple) and len(value) == 3 and value[0] == key):
            self.misses += 1
            return None
        self.hits += 1
        return value[1], value[2]

    def put(self, key: str, outcome: tuple) -> None:
        """Store an outcome; a cache that cannot be written is not an error (the build goes on)."""
        try:
            atomic.write_bytes(self._path(key), pickle.dumps((key, *outcome), protocol=pickle.HIGHEST_PROTOCOL),
                               fsync=False)
        except OSError:
            pass
