"""Warm kernels, forked from a template, behave as fresh kernels: one per notebook, nothing shared, the same
outputs as nbgrader's usual kernel, and no process left behind whatever happens to them."""
from __future__ import annotations

import os
import signal
import socket
import time

import uuid

import psutil
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook

from instructor import notebooks
from instructor.grading.warm_kernel_launcher import SERVER_VAR
from instructor.grading.warm_kernels import KERNEL_NAME, client_config, grading_in_this_process
from tests.conftest import SOURCE, execute, outputs_text

LIVENESS_TIMEOUT = 20  # seconds allowed for a process to go away; not a speed requirement


def run(tmp_path, *sources: str) -> list[str]:
    """Run cells in a fresh warm kernel (inside grading_in_this_process); the text each cell printed."""
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=60, allow_errors=True, config=client_config(),
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return [outputs_text(cell).strip() for cell in notebook.cells]


def test_each_notebook_gets_a_fresh_kernel_that_shares_nothing(tmp_path):
    state = ("import os, numpy as np\nprint(np.random.randint(1 << 30), 'left_behind' in globals(), np.sum(np.ones(2)), "
             "os.path.exists('/scratch/tmp/left_behind'), os.path.exists(os.path.expanduser('~/left_behind')))")
    leave = "left_behind = 1\nnp.sum = lambda *a: 'patched'\nfor f in ('/scratch/tmp/left_behind', '~/left_behind'):\n" \
            "    open(os.path.expanduser(f), 'w').close()"
    with grading_in_this_process():
        first = run(tmp_path, state, leave)[0].split()
        second = run(tmp_path, state)[0].split()
    assert first[0] != second[0], "NumPy's global random generator was not reseeded after the fork"
    assert second[1:] == ["False", "2.0", "False", "False"], "the second kernel saw what the first notebook did"


def test_a_kernel_works_in_a_private_folder_and_gets_only_harmless_environment_variables(tmp_path):
    with grading_in_this_process():
        os.environ["COURSE_TEST_SECRET"] = "a database password"
        os.environ["MPLBACKEND"] = "agg"
        cwd, env = run(tmp_path, "import os\nprint(os.getcwd())", "print(os.environ.get('COURSE_TEST_SECRET'), "
                                                                   "os.environ['MPLBACKEND'])")
    assert cwd == "/scratch/work" and env == "None agg"


def test_unsandboxed_a_kernel_has_the_working_directory_it_was_started_with(tmp_path):
    with grading_in_this_process(sandboxed=False):
        assert run(tmp_path, "import os\nprint(os.getcwd())") == [str(tmp_path)]


def test_a_notebook_gives_the_same_outputs_as_in_nbgraders_usual_kernel(tmp_path):
    path = SOURCE / "01_sigmoid" / "sigmoid.ipynb"  # plots, a widget, checks: a notebook with everything
    warm = execute(notebooks.read(path), tmp_path)
    usual = execute(notebooks.read(path), tmp_path, kernel="python3")
    for ours, theirs in zip(warm.cells, usual.cells):
        if ours.cell_type == "code":
            assert [(o.output_type, sorted(o.get("data", {}))) for o in ours.outputs] == \
                   [(o.output_type, sorted(o.get("data", {}))) for o in theirs.outputs], ours.source
            assert outputs_text(ours) == outputs_text(theirs), ours.source
    assert any("image/png" in o.get("data", {}) for cell in warm.cells for o in cell.get("outputs", []))


def test_a_kernel_that_dies_is_reported_and_the_next_one_starts(tmp_path):
    with grading_in_this_process():
        with pytest.raises(DeadKernelError):
            run(tmp_path, "import os\nos._exit(3)", "print('never')")
        assert run(tmp_path, "print('next')") == ["next"]


def test_a_launcher_that_hangs_up_midway_costs_no_other_kernel(tmp_path):
    with grading_in_this_process():
        with socket.socket(socket.AF_UNIX) as broken:
            broken.connect(os.environ[SERVER_VAR])
            broken.sendall(b'{"argv": [')  # half a request, and no standard streams
        assert run(tmp_path, "print('next')") == ["next"]


def test_an_interrupt_reaches_the_kernel():
    with grading_in_this_process():
        manager, client = _start()
        try:
            sent = client.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(60)")
            while client.get_iopub_msg(timeout=LIVENESS_TIMEOUT)["content"].get("text") != "sleeping\n":
                pass  # interrupt only once the cell runs: an interrupt that comes first interrupts nothing
            manager.interrupt_kernel()
            reply = client.get_shell_msg(timeout=LIVENESS_TIMEOUT)
            while reply["parent_header"].get("msg_id") != sent:
                reply = client.get_shell_msg(timeout=LIVENESS_TIMEOUT)
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


def test_a_killed_launcher_takes_its_kernel_with_it():
    with grading_in_this_process():
        manager, client = _start()
        kernel = _kernel_pid(client)
        client.stop_channels()
        os.kill(manager.provisioner.process.pid, signal.SIGKILL)
        assert _gone(kernel)
        manager.cleanup_resources()


def test_stopping_the_server_leaves_no_kernel_behind():
    with grading_in_this_process():
        manager, client = _start()
        kernel = _kernel_pid(client)
        client.stop_channels()
    assert _gone(kernel)
    manager.shutdown_kernel(now=True)


def _start() -> tuple[KernelManager, object]:
    manager = KernelManager(kernel_name=KERNEL_NAME, config=client_config())
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return manager, client


def _kernel_pid(client) -> int:
    """The kernel's process id as this machine sees it (inside its sandbox it is 1): the kernel names itself."""
    name = f"k{uuid.uuid4().hex[:10]}"
    client.execute_interactive(f"import ctypes; ctypes.CDLL(None).prctl(15, b'{name}')", timeout=60)
    return next(p.pid for p in psutil.process_iter(["name"]) if p.info["name"] == name)


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + LIVENESS_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
