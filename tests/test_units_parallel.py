"""The parts of base/parallel.py that run in a forked child, run here in the test's own
process (so that a mutation tester sees them): what a child sends through its pipe, and
how children take indexes from the shared pipe. The forking itself is tested in
tests/test_parallel.py."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct

import pytest

from dipdata.base import parallel


pytestmark = pytest.mark.usefixtures("ten_second_deadline")


class Exited(Exception):
    """os._exit called: the child's part ends here."""


def run_child(monkeypatch, work, reader_closed=False) -> tuple[int, list]:
    """Run a child's part here: its exit status, and the messages it sent."""
    read, write = os.pipe()
    if reader_closed:
        os.close(read)

    def exit_(status):
        raise Exited(status)

    monkeypatch.setattr(parallel.os, "_exit", exit_)
    try:
        with pytest.raises(Exited) as ended:
            parallel._child(write, work)
    finally:
        gc.unfreeze()
    messages = []
    if not reader_closed:
        data = b""
        while chunk := os.read(read, 1 << 16):
            data += chunk
        os.close(read)
        while data:
            (size,) = struct.unpack_from("<Q", data)
            messages.append(pickle.loads(data[8:8 + size]))
            data = data[8 + size:]
    return ended.value.args[0], messages


def test_a_child_sends_each_result_framed_by_its_length(monkeypatch):
    status, messages = run_child(monkeypatch, lambda: iter([7, "x", b"\0" * 300]))
    assert status == 0
    assert messages == [(True, 7), (True, "x"), (True, b"\0" * 300)]


def test_a_child_whose_work_fails_says_so_after_what_it_sent(monkeypatch):
    def work():
        yield 1
        raise RuntimeError("no")

    status, messages = run_child(monkeypatch, work)
    assert (status, messages) == (0, [(True, 1), (False, None)])


def test_a_child_that_cannot_send_ends_with_status_1(monkeypatch):
    previous = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        status, _ = run_child(monkeypatch, lambda: iter([1]), reader_closed=True)
    finally:
        signal.signal(signal.SIGPIPE, previous)
    assert status == 1


def test_a_child_takes_the_indexes_given_until_the_pipe_ends():
    tasks = parallel._Tasks(5, ahead=2)  # 0 and 1 are written; the parent's end stays open
    try:
        assert list(parallel._taken(lambda i: i * 10, tasks)) == [(0, 0), (1, 10)]
        assert tasks.write == -1  # the child closed its copy of the parent's end
    finally:
        tasks.close()


def test_every_index_given_at_once_closes_the_pipe():
    tasks = parallel._Tasks(3, ahead=10)
    try:
        assert tasks.write == -1 and tasks.next == 3
        assert [tasks.take(), tasks.take(), tasks.take(), tasks.take()] == [0, 1, 2, None]
    finally:
        tasks.close()


def test_indexes_are_given_one_by_one_after_the_first_ones():
    tasks = parallel._Tasks(4, ahead=1)

    def given() -> int:
        return struct.unpack("<Q", os.read(tasks.read, 8))[0]

    try:
        assert (tasks.next, tasks.write >= 0, given()) == (1, True, 0)
        tasks.give()
        assert given() == 1 and tasks.write >= 0
        tasks.give()
        tasks.give()  # the last: the pipe is closed
        assert (given(), given(), tasks.write) == (2, 3, -1)
        tasks.give()  # nothing left to give
        assert (tasks.next, os.read(tasks.read, 8)) == (4, b"")
    finally:
        tasks.close()
    assert (tasks.read, tasks.write) == (-1, -1)


def test_cores_are_those_this_process_may_run_on():
    assert parallel.cores() == len(os.sched_getaffinity(0)) >= 1
