"""Atomic writes: a reader sees the old file (or folder) or the new one, never half of one.

Files are written to a temporary file beside their path, fsynced and renamed
over it.  A whole folder (a build) is written to a temporary sibling folder and
switched in by one atomic exchange of the two names (``renameat2`` with
``RENAME_EXCHANGE`` on Linux, ``renamex_np`` with ``RENAME_SWAP`` on macOS);
where neither exists, by two renames, with the old folder put back by
``recover_dir`` if the process dies between them.

Files and folders get the modes an ordinary ``open``/``mkdir`` would give them
(0666 / 0777 less the umask), not the 0600 / 0700 of ``tempfile``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from pathlib import Path


def umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~umask()


def dir_mode() -> int:
    return 0o777 & ~umask()


def write_bytes(path: Path, data: bytes, fsync: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, fsync it (unless told not to), then rename it over `path`.

    Without fsync a crash may leave an empty or partial file under `path`, never a mix of two writes by
    processes running at the same time; for caches, whose readers treat a broken entry as missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (new names, renames) durable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_tree(path: Path, durable: frozenset[str] = frozenset()) -> None:
    """fsync every file and folder below `path` (files written without fsync, before a switch), but the files
    of `durable` (paths relative to `path`): hard links to files already on disk, whose new name the fsync
    of its folder makes durable."""
    for folder, _, files in os.walk(path):
        for name in files:
            if durable and Path(folder, name).relative_to(path).as_posix() in durable:
                continue
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(folder))


# -- folders ------------------------------------------------------------------------------------------

def temp_dir(target: Path) -> Path:
    """A new empty folder beside `target` (``.NAME.new-PID-XXXX``), with the mode of an ordinary mkdir."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    os.chmod(tmp, dir_mode())
    return tmp


_exchange_fn = None


def _exchange_impl():
    """The C function that swaps two names atomically, or None."""
    global _exchange_fn
    if _exchange_fn is None:
        _exchange_fn = False
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        except OSError:
            return None
        if hasattr(libc, "renameat2"):  # Linux, glibc >= 2.28
            fn = libc.renameat2
            fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            at_fdcwd, rename_exchange = -100, 2
            _exchange_fn = lambda a, b: fn(at_fdcwd, a, at_fdcwd, b, rename_exchange)  # noqa: E731
        elif hasattr(libc, "renamex_np"):  # macOS
            fn = libc.renamex_np
            fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
            rename_swap = 2
            _exchange_fn = lambda a, b: fn(a, b, rename_swap)  # noqa: E731
    return _exchange_fn or None


def exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` in one atomic step; False when the system or file system cannot."""
    fn = _exchange_impl()
    if fn is None:
        return False
    if fn(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # not supported by this kernel or file system
    raise OSError(err, os.strerror(err), str(b))


def switch_dir(new: Path, target: Path) -> None:
    """Put the folder `new` in the place of `target` in one step, then delete the old `target`.

    `new` and `target` must be siblings.  A reader that opens a file under
    `target` gets the old build or the new one, never a mix.
    """
    parent = target.parent
    if not os.path.lexists(target):
        os.rename(new, target)
        fsync_dir(parent)
        return
    if exchange(new, target):
        fsync_dir(parent)
        shutil.rmtree(new, ignore_errors=True)  # `new` now names the old build
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=parent))
    os.rmdir(old)
    os.rename(target, old)  # from here to the next rename `target` is missing; recover_dir puts it back
    os.rename(new, target)
    fsync_dir(parent)
    shutil.rmtree(old, ignore_errors=True)


def _pid_of(name: str) -> int | None:
    try:
        return int(name.rsplit(".", 1)[1].split("-")[1])
    except (IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_dir(target: Path) -> None:
    """Clean up after builds that were killed: put back a folder moved aside, remove dead temporary folders."""
    parent = target.parent
    if not parent.is_dir():
        return
    prefix = f".{target.name}."
    leftovers = [p for p in parent.iterdir()
                 if p.name.startswith(prefix) and p.name[len(prefix):].split("-")[0] in ("new", "old")]
    dead = [p for p in leftovers if (pid := _pid_of(p.name)) is not None and not _alive(pid)]
    if not os.path.lexists(target):
        moved = sorted((p for p in dead if p.name[len(prefix):].startswith("old-")), key=lambda p: p.stat().st_mtime)
        if moved:
            os.rename(moved[-1], target)
            dead.remove(moved[-1])
    for p in dead:
        shutil.rmtree(p, ignore_errors=True)
