"""``POST /v1/extract`` in processes of its own: a bounded number at once, each bounded in time.

Extraction is CPU-bound Python; in the API process it would hold the GIL against every other
request, and a thread that runs too long cannot be stopped. So each of the
``NEWSMETA_API_EXTRACT_CONCURRENCY`` slots is a one-process pool (spawned, so it inherits
none of the server's threads or sockets; it loads the models once, ~350 MB, on its first
use). A request takes a free slot or gets ``503`` with ``Retry-After`` at once; one that runs
past ``NEWSMETA_API_EXTRACT_TIMEOUT`` gets ``422`` and its process is killed (the only honest
way to stop it) and replaced on the slot's next use.

This module is what the slot processes import: keep its imports light (no Litestar).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from service import extraction
from service.extraction.gazetteer import Gazetteer
from service.outputs import extraction_out
from service.schemas import ExtractIn, ExtractOut

WARM_UP_TIMEOUT = 300.0  # loading the models on a busy machine; not part of the request's time


def run_extraction(item: ExtractIn, gazetteer: Gazetteer | None = None) -> ExtractOut:
    result = extraction.extract(
        item.text, published_at=item.published_at, outlet=item.outlet, gazetteer=gazetteer
    )
    digest = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
    return extraction_out(result, digest)


def warm_up() -> None:
    """Models and every lazily loaded table, so the first request's time is its own."""
    run_extraction(ExtractIn(text="Владимир Путин заявил в Москве, что встреча состоится."))


class Busy(Exception):
    """Every slot is extracting."""


class TooSlow(Exception):
    """The extraction ran past its time and was killed."""


class Crashed(Exception):
    """The slot's process died (killed from outside, out of memory)."""


class ExtractorPool:
    def __init__(self, size: int) -> None:
        self.size = size
        # A free slot is None until its process is first needed.
        self._free: list[ProcessPoolExecutor | None] = [None] * size
        self._all: set[ProcessPoolExecutor] = set()

    @property
    def busy(self) -> int:
        return self.size - len(self._free)

    async def run(
        self, item: ExtractIn, timeout: float, gazetteer: Gazetteer | None = None
    ) -> ExtractOut:
        """``gazetteer`` travels to the slot process with the text (pickled each call: fine
        for the registries seen so far; a very large registry would want it kept there)."""
        if not self._free:
            raise Busy
        slot: ProcessPoolExecutor | None = self._free.pop()
        loop = asyncio.get_running_loop()
        finished = False
        try:
            if slot is None:
                slot = self._start()
                try:
                    warming = loop.run_in_executor(slot, warm_up)
                    await asyncio.wait_for(warming, WARM_UP_TIMEOUT)
                except TimeoutError:
                    raise Crashed from None
            work = loop.run_in_executor(slot, run_extraction, item, gazetteer)
            try:
                result = await asyncio.wait_for(work, timeout)
            except TimeoutError:
                raise TooSlow from None
            finished = True
            return result
        except BrokenProcessPool:
            raise Crashed from None
        except (TooSlow, Crashed):
            raise
        except Exception:
            finished = True  # the extractor's own error: the process is fine
            raise
        finally:
            if not finished and slot is not None:  # timed out, crashed or cancelled
                self._kill(slot)
                slot = None
            self._free.append(slot)

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self._all.add(executor)
        return executor

    def _kill(self, executor: ProcessPoolExecutor) -> None:
        self._all.discard(executor)
        # No public API stops a running task; the executor's processes are killed by pid.
        for process in list(getattr(executor, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for executor in list(self._all):
            self._kill(executor)
        self._free = [None] * self.size
        _shared.pop(self.size, None)


_shared: dict[int, ExtractorPool] = {}


def shared(size: int) -> ExtractorPool:
    """One pool per process and size (apps built in one process, as tests do, share it)."""
    if size not in _shared:
        _shared[size] = ExtractorPool(size)
    return _shared[size]
