"""Call a function on many items in parallel: local worker processes or a Dask cluster.

Nothing here knows about reports: :func:`execute` runs any picklable function, keeps the
items' order, shows a progress bar, and returns an exception in place of a call that
raised or whose worker died, so one failure never stops the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bpo_analysis.errors import InputError

__all__ = ["CONNECT_TIMEOUT", "check_address", "execute"]

CONNECT_TIMEOUT = 10.0  # seconds to wait for a Dask scheduler before giving up


def _progress_bar(total: int, progress: bool | None, desc: str):
    """Return a tqdm progress bar on stderr without a monitor thread."""
    from tqdm.auto import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: later pools of this process may fork

    # progress=None: on when stderr is a terminal (tqdm's disable=None), off in cron logs
    return Bar(total=total, desc=desc, unit="run", file=sys.stderr, dynamic_ncols=True,
               disable=None if progress is None else not progress)


def _failed(result: Any) -> bool:
    return isinstance(result, BaseException) or getattr(result, "status", "ok") == "failed"


def _start_method() -> str:
    """Return how to start the local workers.

    ``fork`` on Linux when this process has a single thread (workers inherit the
    imported package: no start-up), else ``spawn`` (forking a threaded process can
    deadlock the child).
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _collect(futures: dict[Any, int], completed: Iterable[Any], bar: dict[str, Any]
             ) -> list[Any]:
    """Return the results of ``futures`` (future -> item index) as they complete.

    A progress tick each; an exception in place of a call that raised or whose worker
    died.
    """
    results: list[Any] = [None] * len(futures)
    with _progress_bar(len(futures), **bar) as progress:
        for fut in completed:
            try:
                results[futures[fut]] = fut.result()
            except Exception as err:  # raised in fn, or the worker process died
                results[futures[fut]] = err
            progress.update(1)
            progress.set_postfix(failed=sum(_failed(r) for r in results if r is not None),
                                 refresh=False)
    return results


def _local(fn: Callable[[Any], Any], items: list[Any], jobs: int, bar: dict[str, Any]
           ) -> list[Any]:
    context = multiprocessing.get_context(_start_method())
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # the workers start at the first submit: before the progress bar starts a thread
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            return _collect(futures, cf.as_completed(futures), bar)
        except BaseException:  # Ctrl-C: drop the runs not started
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def check_address(address: str) -> None:
    """Refuse a scheduler address Dask cannot parse (before anything runs).

    Parameters
    ----------
    address : str
        The scheduler's address, e.g. ``tcp://host:8786``.

    Raises
    ------
    InputError
        An address Dask cannot parse.
    """
    from distributed.comm import get_address_host_port

    try:
        get_address_host_port(address)
    except (ValueError, NotImplementedError) as err:
        raise InputError("--scheduler", address, "the address of a Dask scheduler, e.g. "
                         f"tcp://host:8786 ({err})") from None


def _connect(address: str):
    """Return a Dask client of the scheduler at ``address``; one clear error if none answers."""
    from distributed import Client

    check_address(address)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise InputError("--scheduler", address, "the address of a running Dask scheduler, "
                         f"e.g. tcp://host:8786; none answered within {CONNECT_TIMEOUT:g} s "
                         f"({type(err).__name__}: {err})") from None


def _check_workers(client: Any, address: str) -> None:
    """Refuse a cluster the runs cannot share.

    A cluster without workers (the batch would wait forever) or with workers of more
    than one thread (report runs change their process's working directory and
    environment, so two at once in one process would mix them up).
    """
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        raise InputError("--scheduler", address, "a scheduler with workers (dask worker "
                         f"{address} --nthreads 1); none joined within "
                         f"{CONNECT_TIMEOUT:g} s") from None
    threaded = {w: n for w, n in client.nthreads().items() if n > 1}
    if threaded:
        raise InputError("--scheduler", address, "a cluster of one-thread workers (dask "
                         f"worker {address} --nthreads 1): a report run changes its "
                         "process's working directory and environment; these workers "
                         f"have more threads: {threaded}")


def _dask(fn: Callable[[Any], Any], items: list[Any], address: str, bar: dict[str, Any]
          ) -> list[Any]:
    from distributed import as_completed

    client = _connect(address)
    try:
        _check_workers(client, address)
        futures = {client.submit(fn, item, pure=False): i for i, item in enumerate(items)}
        return _collect(futures, as_completed(list(futures), loop=client.loop), bar)
    finally:
        client.close()


def execute(fn: Callable[[Any], Any], items: Sequence[Any], *, jobs: int | None = None,
            scheduler: str | None = None, progress: bool | None = None,
            desc: str = "reports") -> list[Any]:
    """Call ``fn(item)`` for every item in parallel; return the results in the items' order.

    Parameters
    ----------
    fn : callable
        A picklable function (defined at module level).
    items : sequence
        Its arguments, one per call.
    jobs : int, optional
        Local worker processes (default: one per core, at most one per item).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): submit there instead.
    progress : bool, optional
        Progress bar on stderr; default: when stderr is a terminal.
    desc : str
        The progress bar's label.

    Returns
    -------
    list
        ``fn``'s results; an exception in place of a call that raised or whose worker
        died (never raised).

    Raises
    ------
    InputError
        ``jobs`` below 1, or no scheduler answers at ``scheduler``.
    """
    items = list(items)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError("-j/--jobs", jobs, "a whole number of worker processes, at least 1")
    if not items:
        return []
    bar = {"progress": progress, "desc": desc}
    if scheduler:
        return _dask(fn, items, scheduler, bar)
    return _local(fn, items, min(jobs or os.cpu_count() or 1, len(items)), bar)
