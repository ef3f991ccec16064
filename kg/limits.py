"""Per-file limits: size and time, so that one hostile or odd file cannot hang or sink a build.

* Size: a file over ``max_file_bytes()`` (``KG_MAX_FILE_MB``, default 20 MB) is not read; neither is a text
  (from a .docx, a PDF, a page) longer than that many characters.
* Time: reading one file, and extracting one text, each get ``time_limit_seconds()`` seconds of CPU time
  (``KG_TIME_LIMIT``, default 120 s; the extractor reads about 1.5 microseconds per character, so a text at the
  size limit takes ~30 s).  CPU time, not wall time, so that a busy machine does not skip files a quiet one
  reads.  The limit is a ``SIGPROF`` interval timer, which only the main thread of a process can use: elsewhere
  (a thread) the work runs without a limit.

Both raise a :class:`~kg.reader.SourceError` whose message names the problem; the build prints it with the
file name and goes on with the other files.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEFAULT_MAX_MB = 20.0
DEFAULT_TIME_LIMIT = 120.0


def max_file_bytes() -> int:
    """The size limit of one file in bytes (``KG_MAX_FILE_MB``, megabytes of 2**20 bytes; 0 or less: none)."""
    try:
        mb = float(os.environ.get("KG_MAX_FILE_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * 2**20) if mb > 0 else 0


def time_limit_seconds() -> float:
    """CPU seconds allowed to read one file and to extract one text (``KG_TIME_LIMIT``; 0 or less: none)."""
    try:
        return max(0.0, float(os.environ.get("KG_TIME_LIMIT", DEFAULT_TIME_LIMIT)))
    except ValueError:
        return DEFAULT_TIME_LIMIT


def megabytes(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _source_error():
    from kg.reader import SourceError

    return SourceError


class _Expired(BaseException):
    """Raised by the timer's signal handler (a BaseException: no `except Exception` on the way swallows it)."""


@contextmanager
def time_limit(seconds: float | None = None, what: str = "reading") -> Iterator[None]:
    """Run the block with a limit of `seconds` CPU seconds (default :func:`time_limit_seconds`).

    Raises:
        SourceError: the block ran over the limit ("<what> ran over the time limit of N s of CPU").
    """
    seconds = time_limit_seconds() if seconds is None else seconds
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGPROF"):
        yield
        return

    def expire(signum, frame):  # noqa: ANN001, ARG001
        raise _Expired()

    previous = signal.signal(signal.SIGPROF, expire)
    outer = signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    except _Expired:
        raise _source_error()(f"{what} ran over the time limit of {seconds:g} s of CPU (KG_TIME_LIMIT); "
                              f"file skipped") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer[0] > 0:  # an enclosing limit keeps running (less what this block used is not tracked)
            signal.setitimer(signal.ITIMER_PROF, *outer)


def check_size(n: int, what: str = "file") -> None:
    """Refuse `n` bytes or characters over the size limit.

    Raises:
        SourceError: "<what> too large (...; the limit is ... MB, KG_MAX_FILE_MB)".
    """
    limit = max_file_bytes()
    if limit and n > limit:
        raise _source_error()(f"{what} too large ({megabytes(n)}; the limit is {megabytes(limit)}, KG_MAX_FILE_MB)")


def extract_job(job: tuple[str, str]) -> tuple[str, object]:
    """``kg.build._extract_job`` under the time limit: ("record", Record) or ("nodoc", reason).

    A text whose extraction runs over the limit gives ("nodoc", "extraction ran over the time limit ..."): the
    build reports it as skipped, with the reason, and goes on.  (Like a text without a document, the outcome
    is cached by the build until the extractor's code changes; raise KG_TIME_LIMIT with --no-cache to retry.)
    """
    from kg.build import extract_source
    from kg.reader import NoDocumentError, Source, SourceError

    text, name = job
    try:
        with time_limit(what="extraction"):
            record, _ = extract_source(Source(Path(name), name, text, ""))
    except NoDocumentError as exc:
        return "nodoc", str(exc)
    except SourceError as exc:
        return "nodoc", str(exc)
    return "record", record
