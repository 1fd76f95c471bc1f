"""Chunks of cases through worker processes, results in order, memory bounded.

- Chunks are big (about :data:`CHUNK_ROWS` rows) so that sending them costs little next to
  replaying them; results come back in chunk order, so the outputs are the same whatever
  the number of workers.
- At most ``2 x workers`` chunks are in flight: reading waits for the workers instead of
  filling memory (``Pool.imap`` would read the whole log ahead).
- Workers are capped at the cores this process may use, and each has at least
  :data:`CHUNKS_PER_WORKER` chunks (so never more workers than chunks): a small log is
  replayed in this process, with no worker started.
- Workers ignore SIGINT (the parent decides what an interrupt means: it drops the chunks
  not started and waits for the workers to finish theirs), and exit as soon as the parent
  is gone, even when it was killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from asylum_sim.eventlog.grouping import RawCase
from asylum_sim.model.errors import InputError

CHUNK_ROWS = 4000
CHUNKS_PER_WORKER = 3
"""A worker costs about a CPU second to start (imports, definitions): worth it only for a
few chunks of work; a smaller log is replayed in this process."""
Result = TypeVar("Result")


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunked(cases: Iterable[RawCase], rows: int | None = None) -> Iterator[list[RawCase]]:
    """Lists of whole cases of about ``rows`` (default :data:`CHUNK_ROWS`) rows each."""
    rows = rows or CHUNK_ROWS
    chunk: list[RawCase] = []
    size = 0
    for case in cases:
        chunk.append(case)
        size += len(case.rows)
        if size >= rows:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def run_chunks(chunks: Iterator[Any], work: Callable[[Any], Result],
               setup: Callable[..., None], setup_args: tuple[Any, ...], workers: int,
               local_setup: Callable[[], None] | None = None) -> Iterator[Result]:
    """``work(chunk)`` for every chunk, in order, in up to ``workers`` processes (each
    prepared by ``setup(*setup_args)``); in this process when one suffices (prepared by
    ``local_setup``, or ``setup``)."""
    first = list(itertools.islice(chunks, CHUNKS_PER_WORKER * workers))
    workers = min(workers, max(1, len(first) // CHUNKS_PER_WORKER))
    if workers <= 1:
        (local_setup or (lambda: setup(*setup_args)))()
        for chunk in itertools.chain(first, chunks):
            yield work(chunk)
        return
    with _sigint_blocked():
        executor = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                       initializer=_start_worker, initargs=(setup, setup_args))
    pending: deque[Future[Result]] = deque()
    finished = False

    def submit(chunk: Any) -> None:
        with _sigint_blocked():  # workers may be started here: see _sigint_blocked
            pending.append(executor.submit(work, chunk))

    try:
        source = itertools.chain(first, chunks)
        for chunk in itertools.islice(source, 2 * workers):
            submit(chunk)
        while pending:
            result = pending.popleft().result()
            for chunk in itertools.islice(source, 1):
                submit(chunk)
            yield result
        finished = True
    except BrokenProcessPool:
        raise InputError("a worker process died (out of memory, or killed); nothing written; "
                         "try fewer --workers") from None
    finally:
        # An interrupt or an error: the chunks not started are dropped, the workers end the
        # one they hold (a second or so) and exit. Killing them instead could cut a result
        # in half in the pipe, and the executor would then wait for its end forever.
        executor.shutdown(wait=True, cancel_futures=not finished)


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back while workers may be started: they inherit the blocked signal, so a
    Ctrl-C during their start-up cannot interrupt their imports (and print a traceback);
    they ignore it once set up. (The standard library starts its resource tracker alike.)
    The parent gets a Ctrl-C that came meanwhile as soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(setup: Callable[..., None], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    setup(*args)


def _exit_with(sentinel: int) -> None:
    """Exit as soon as the parent process is gone (its sentinel becomes readable)."""
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)
