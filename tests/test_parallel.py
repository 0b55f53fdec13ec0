"""Work spread over forked children: the same results, in order, as without them."""

from __future__ import annotations

import os
import threading
import time

import pytest

from dipdata.base import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="forking is used on Linux only")


@pytest.fixture
def parent() -> int:
    """This process's id, read when the test runs (mutmut forks a process for each mutant
    after the tests were imported: an id read at import would be its parent's)."""
    return os.getpid()


pytestmark = pytest.mark.usefixtures("ten_second_deadline")


def square(i: int) -> int:
    return i * i


def test_results_come_in_order():
    assert list(parallel.ordered_map(square, 10, 2)) == [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]


def test_a_failure_in_a_child_is_done_again_here(parent):
    def fails_in_a_child(i: int) -> int:
        if i == 3 and os.getpid() != parent:
            raise RuntimeError("only in the child")
        return i * i

    assert list(parallel.ordered_map(fails_in_a_child, 8, 2)) == [0, 1, 4, 9, 16, 25, 36, 49]


def test_a_child_that_dies_leaves_its_share_to_this_process(parent):
    def dies(i: int) -> int:
        if i == 2 and os.getpid() != parent:
            os._exit(3)
        return i + 100

    assert list(parallel.ordered_map(dies, 7, 2)) == [100, 101, 102, 103, 104, 105, 106]


def test_results_larger_than_a_pipe_holds_come_whole_and_in_order():
    # 3 MB each: a child sends its next result before the parent asks for it.
    def big(i: int) -> bytes:
        return bytes([i]) * (3 << 20)

    results = list(parallel.ordered_map(big, 5, 2))
    assert [(len(r), r[0], r[-1]) for r in results] == [
        (3 << 20, 0, 0), (3 << 20, 1, 1), (3 << 20, 2, 2), (3 << 20, 3, 3), (3 << 20, 4, 4)]


def test_an_error_everywhere_is_the_error_of_this_process():
    def always(i: int) -> int:
        raise ValueError(f"bad {i}")

    with pytest.raises(ValueError, match="^bad 0$"):
        list(parallel.ordered_map(always, 4, 2))


def test_background_gives_the_result_or_computes_it_here(parent):
    assert parallel.Background(lambda: sum(range(101))).result() == 5050

    def only_here() -> str:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return "here"

    assert parallel.Background(only_here).result() == "here"


def test_no_children_while_other_threads_run(parent):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.can_fork() is False
        pids = list(parallel.ordered_map(lambda i: os.getpid(), 3, 2))
        assert pids == [parent, parent, parent]
    finally:
        stop.set()
        thread.join()


def test_children_run_elsewhere(parent):
    pids = list(parallel.ordered_map(lambda i: os.getpid(), 4, 2))
    assert parent not in pids
    assert all(isinstance(pid, int) for pid in pids)


def test_a_slow_index_holds_no_other_back(tmp_path, parent):
    """While one child is busy with index 0 (which waits until index 2 is done), the other
    takes the next indexes: with a fixed share each, index 2 would be the busy child's."""
    done = tmp_path / "2-done"

    def work(i: int) -> tuple[int, bool]:
        if i == 2:
            done.touch()
        waited = True
        if i == 0:
            deadline = time.monotonic() + 30
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            waited = done.exists()
        return os.getpid(), waited

    results = list(parallel.ordered_map(work, 6, 2))
    pids = [pid for pid, _ in results]
    assert all(waited for _, waited in results)
    assert parent not in pids
    assert pids[0] != pids[1] == pids[2]


def test_one_worker_or_one_index_is_done_here(parent):
    assert list(parallel.ordered_map(square, 3, 1)) == [0, 1, 4]
    assert list(parallel.ordered_map(lambda i: os.getpid(), 3, 1)) == [parent] * 3
    assert list(parallel.ordered_map(lambda i: (i, os.getpid()), 1, 2)) == [(0, parent)]
    assert list(parallel.ordered_map(square, 0, 2)) == []
    # two indexes are enough for children
    assert parent not in parallel.ordered_map(lambda i: os.getpid(), 2, 2)


def test_background_computes_in_a_child_and_here_when_it_dies(parent):
    assert parallel.Background(os.getpid).result() != parent

    def dies() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "here"

    assert parallel.Background(dies).result() == "here"


def test_background_computes_here_while_other_threads_run(parent):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        background = parallel.Background(os.getpid)
        assert background.child is None and background.result() == parent
    finally:
        stop.set()
        thread.join()


def test_no_children_and_no_pipes_are_left(parent):
    """Every child is reaped and every pipe closed, also when the results are abandoned
    while children still work (they are stopped)."""
    fds = sorted(os.listdir("/proc/self/fd"))

    def slow(i: int) -> int:
        if i > 0 and os.getpid() != parent:
            time.sleep(5)
        return i

    assert list(parallel.ordered_map(square, 5, 2)) == [0, 1, 4, 9, 16]
    results = parallel.ordered_map(slow, 6, 2)
    assert next(results) == 0
    results.close()
    assert parallel.Background(lambda: 5).result() == 5
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    assert sorted(os.listdir("/proc/self/fd")) == fds


def test_forking_is_for_linux_only(monkeypatch):
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.can_fork() is False


def test_cores_without_affinity_are_the_cpu_count(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert parallel.cores() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: one
    assert parallel.cores() == 1
