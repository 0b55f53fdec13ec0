"""Work spread over the machine's cores: forked children that compute and send back.

Children are forked, so they start at once with everything the parent has made (compiled
schemas, the list of files) and nothing needs pickling on the way in; results come back
pickled through a pipe. Where forking is not available or not safe (not Linux, or other
threads are running), or a child fails, the work is done in this process instead, so the
result, and any exception, is the same as without children.
"""

from __future__ import annotations

import collections
import functools
import gc
import os
import pickle
import select
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

R = TypeVar("R")
_NUMBER = struct.Struct("<Q")  # a result's length, or an index given to a child


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking is used on Linux only, and only while this process runs a single thread."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _child(write: int, work: Callable[[], Iterator[Any]]) -> None:
    """Run in a forked child: send each result of ``work`` (or a failure) and exit."""
    # What the child inherited stays as it is: the collector need not walk it (nor touch
    # its pages, which would copy them). This changes the child only, which exits here.
    gc.freeze()
    status = 0
    try:
        with os.fdopen(write, "wb") as out:
            try:
                for result in work():
                    data = pickle.dumps((True, result), pickle.HIGHEST_PROTOCOL)
                    out.write(_NUMBER.pack(len(data)) + data)
                    out.flush()
            except BaseException:  # the parent does this part itself
                data = pickle.dumps((False, None))
                out.write(_NUMBER.pack(len(data)) + data)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


class _Child:
    """A forked child sending results through a pipe. The parent reads whatever the pipe
    holds whenever it is ready (:meth:`fill`), so that a child never waits for the parent
    to want its next result."""

    def __init__(self, work: Callable[[], Iterator[Any]]):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(read)
            _child(write, work)
        os.close(write)
        self.pid, self.fd = pid, read
        self.buffer = bytearray()
        self.results: collections.deque[tuple[bool, Any]] = collections.deque()
        self.ended = False  # the pipe is closed, or the child failed

    def fill(self) -> None:
        """Read what the pipe holds (waiting for something, if it holds nothing) and keep
        every whole result."""
        data = os.read(self.fd, 1 << 20)
        if not data:
            self.ended = True
        self.buffer += data
        while len(self.buffer) >= _NUMBER.size:
            size = _NUMBER.unpack_from(self.buffer)[0]
            if len(self.buffer) < _NUMBER.size + size:
                break
            with memoryview(self.buffer) as view:
                ok, value = pickle.loads(view[_NUMBER.size:_NUMBER.size + size])
            del self.buffer[:_NUMBER.size + size]
            self.results.append((ok, value))
            self.ended = self.ended or not ok  # a failed child sends nothing more

    def receive(self) -> tuple[bool, Any]:
        """The next result: (True, value), or (False, None) when the child failed."""
        while not self.results and not self.ended:
            self.fill()
        return self.results.popleft() if self.results else (False, None)

    def close(self) -> None:
        """Stop the child if it still runs, and reap it."""
        os.close(self.fd)
        try:
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
        except ChildProcessError:  # pragma: no cover - already reaped
            pass


class Background:
    """``function()`` computed in a forked child while this process goes on; ``result()``
    waits for it (or computes it here, when there is no child or it failed)."""

    def __init__(self, function: Callable[[], Any]):
        self.function = function
        self.child = _Child(lambda: iter([function()])) if can_fork() else None

    def result(self) -> Any:
        if self.child is None:
            return self.function()
        try:
            ok, value = self.child.receive()
        finally:
            self.child.close()
            self.child = None
        return value if ok else self.function()


def ordered_map(function: Callable[[int], R], count: int, workers: int) -> Iterator[R]:
    """``function(i)`` for i in 0..count-1, in order; with ``workers`` > 1, worked out by
    that many forked children, each taking the next index when it is free (so that a slow
    index holds back no other, and no child waits while work is left)."""
    if workers <= 1 or count <= 1 or not can_fork():
        yield from (function(i) for i in range(count))
        return
    workers = min(workers, count)
    tasks = _Tasks(count, ahead=2 * workers)
    children: list[_Child] = []
    done: dict[int, tuple[bool, Any]] = {}
    try:
        for _ in range(workers):
            children.append(_Child(functools.partial(_taken, function, tasks)))
        tasks.started()
        for i in range(count):
            while i not in done and not all(child.ended for child in children):
                # Read every child that has sent something, not only the one with i.
                ready, _, _ = select.select([c.fd for c in children if not c.ended], [], [])
                for child in children:
                    if child.fd in ready:
                        child.fill()
                    while child.results:
                        ok, value = child.results.popleft()
                        if ok:
                            done[value[0]] = (True, value[1])
                            tasks.give()
            ok, value = done.pop(i, (False, None))
            yield value if ok else function(i)  # what no child could do is done here
    finally:
        tasks.close()
        for child in children:
            child.close()


class _Tasks:
    """The indexes 0..count-1, given out through a pipe that forked children share: each
    takes the next with one read (a read of a few bytes from a pipe is never split).
    The parent writes ``ahead`` of them at first, then one more for each result, so that
    the pipe never fills, and closes it after the last: children then read the end."""

    def __init__(self, count: int, ahead: int):
        self.read, self.write = os.pipe()
        self.next, self.count = 0, count
        for _ in range(min(ahead, count)):
            self.give()

    def give(self) -> None:
        """Write the next index, if any is left; after the last, close the pipe."""
        if self.next < self.count:
            os.write(self.write, _NUMBER.pack(self.next))
            self.next += 1
        if self.next == self.count and self.write >= 0:
            os.close(self.write)
            self.write = -1

    def started(self) -> None:
        """The children are forked: only they read the pipe."""
        os.close(self.read)
        self.read = -1

    def take(self) -> int | None:
        """In a child: the next index, or None when none is left."""
        if self.write >= 0:  # this child's copy of the parent's end
            os.close(self.write)
            self.write = -1
        data = os.read(self.read, _NUMBER.size)
        return _NUMBER.unpack(data)[0] if data else None

    def close(self) -> None:
        for fd in (self.read, self.write):
            if fd >= 0:
                os.close(fd)
        self.read = self.write = -1


def _taken(function: Callable[[int], R], tasks: _Tasks) -> Iterator[tuple[int, R]]:
    """In a child: (i, ``function(i)``) for every index it takes."""
    while (index := tasks.take()) is not None:
        yield index, function(index)
