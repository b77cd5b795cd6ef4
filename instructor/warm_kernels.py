"""Fresh grading kernels without the cost of starting Python: each one is forked from a warm template.

nbgrader starts a new kernel for every notebook, and most of that cost is importing: IPython and ipykernel,
NumPy, Matplotlib and the check library take about 0.6 s of CPU before a student's first cell runs. A
server process imports them once; for every kernel Jupyter asks for, it forks a child that is a fresh kernel
in everything that matters (its own process, memory and IPython shell, nothing of any other student's) and
starts ipykernel in it. Jupyter itself is not changed: the kernelspec written here starts
warm_kernel_launcher.py, which asks this server for the kernel and stands for it.

Nothing a student runs can reach the template: a child only has a copy-on-write copy of its memory.
What a fork does share is seeded at fork time, so every child reseeds NumPy's global random generator
(Python's `random` reseeds itself).
"""
from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Iterator

from jupyter_client.kernelspec import KernelSpecManager

from instructor import grading_kernel
from instructor.warm_kernel_launcher import SERVER_VAR

KERNEL_NAME = "course-grading"
LAUNCHER = Path(__file__).resolve().parent / "warm_kernel_launcher.py"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Run a server (with the kernels' environment `env`); yield `env` plus what makes Jupyter use it:
    a kernelspec named KERNEL_NAME (`--Execute.kernel_name=course-grading`) and the server's address."""
    with tempfile.TemporaryDirectory(prefix="warm-kernels-") as folder:
        spec = Path(folder) / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps(_kernelspec()))
        served = dict(env, **{SERVER_VAR: str(Path(folder) / "socket"),
                              "JUPYTER_PATH": os.pathsep.join(filter(None, [folder, env.get("JUPYTER_PATH")]))})
        # the server exits when its stdin closes, so it cannot outlive whoever started it
        server = subprocess.Popen([sys.executable, "-m", "instructor.warm_kernels", served[SERVER_VAR]],
                                  env=served, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            if server.stdout.readline() != b"listening\n":
                raise RuntimeError(f"the warm-kernel server did not start (exit code {server.wait()})")
            yield served
        finally:
            server.stdin.close()
            server.wait()


@contextlib.contextmanager
def grading_environment(private_paths: list[Path]) -> Iterator[dict[str, str]]:
    """The environment of a process (a grading worker's nbgrader) whose kernels are warm grading kernels."""
    with grading_kernel.environment(private_paths) as env, serving(env) as served:
        yield served


@contextlib.contextmanager
def grading_in_this_process(private_paths: list[Path]) -> Iterator[None]:
    """Set os.environ as a grading worker's nbgrader has it, so that kernels started from this process
    (by nbclient or jupyter_client: the bench, the tests) are grading kernels, warm ones by KERNEL_NAME."""
    saved = dict(os.environ)
    with grading_environment(private_paths) as served:
        os.environ.update(served)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _kernelspec() -> dict:
    """The standard Python kernel's spec (protocol, encryption), started through the launcher."""
    standard = KernelSpecManager().get_kernel_spec("python3").to_dict()
    return dict(standard, argv=[sys.executable, "-I", "-S", str(LAUNCHER), "-f", "{connection_file}"],
                display_name=f"{standard['display_name']}, forked warm")


def serve(address: str) -> None:
    """The server: listen, warm up, then fork one kernel per connection until stdin closes. It says it is
    listening before it warms up, so that nbgrader starts (which takes seconds) while it does; a kernel asked
    for meanwhile waits in the queue."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    print("listening", flush=True)
    _warm_up()
    children_exited, wakeup = socket.socketpair()
    wakeup.setblocking(False)
    signal.set_wakeup_fd(wakeup.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD reaches the wakeup fd
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ, "connect")
    events.register(children_exited, selectors.EVENT_READ, "reap")
    events.register(sys.stdin, selectors.EVENT_READ, "stop")
    kernels: dict[int, socket.socket] = {}  # pid -> the launcher that stands for it
    while True:
        for key, _ in events.select():
            if key.data == "connect":
                _start_kernel(listener, kernels, events, closing=[listener, children_exited, wakeup])
            elif key.data == "reap":
                children_exited.recv(4096)
                _reap(kernels, events)
            elif key.data == "stop":
                for pid in kernels:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                return
            elif key.data in kernels and not key.fileobj.recv(1):  # a launcher that goes away takes its kernel
                events.unregister(key.fileobj)
                os.kill(key.data, signal.SIGKILL)


def _start_kernel(listener: socket.socket, kernels: dict[int, socket.socket], events: selectors.BaseSelector,
                  closing: list[socket.socket]) -> None:
    """Fork a kernel for the launcher that connected. A request that goes wrong costs that kernel only."""
    connection, _ = listener.accept()
    try:
        request, streams = _read_request(connection)
    except (OSError, ValueError) as error:
        print(f"warm kernels: a launcher's request could not be read ({error})", file=sys.stderr, flush=True)
        connection.close()
        return
    pid = _fork_kernel(request, streams, closing=[*closing, *kernels.values(), connection])
    with contextlib.suppress(OSError):  # a launcher already gone: the EOF below kills the kernel
        connection.sendall(f"{pid}\n".encode())
    kernels[pid] = connection
    events.register(connection, selectors.EVENT_READ, pid)


def _read_request(connection: socket.socket) -> tuple[dict, list[int]]:
    """The launcher's arguments, working directory and environment, and its stdin, stdout and stderr."""
    message, streams, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    try:
        while not message.endswith(b"\n"):
            more = connection.recv(1 << 20)
            if not more:
                raise ValueError("the launcher hung up before finishing its request")
            message += more
        if len(streams) != 3:
            raise ValueError(f"expected 3 standard streams, got {len(streams)}")
        return json.loads(message), streams
    except (OSError, ValueError):
        for stream in streams:
            os.close(stream)
        raise


def _warm_up() -> None:
    """Import what every grading kernel imports. Matplotlib reads its backend when imported, so it gets the
    inline backend ipykernel would have set, and nothing starts a thread or a kernel before the fork."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the debugger's import warns otherwise
    import ipykernel.debugger  # noqa: F401  (a tenth of a second: the kernel imports it while it starts)
    import ipykernel.kernelapp  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    from grader_tests.exercises import all_exercises
    all_exercises()
    _format_a_traceback()


def _format_a_traceback() -> None:
    """Format one traceback the way IPython shows errors, as most graded notebooks have some (a stub's
    NotImplementedError, a failed check): the first one in a process costs a tenth of a second, mostly
    `inspect` mapping every loaded module to its file, which the kernels then inherit done."""
    from IPython.core.ultratb import AutoFormattedTB

    try:
        raise RuntimeError("warming up")
    except RuntimeError as error:
        AutoFormattedTB(mode="Context").structured_traceback(type(error), error, error.__traceback__)


def _fork_kernel(request: dict, streams: list[int], closing: list[socket.socket]) -> int:
    """Fork; the child becomes the kernel the request asks for (and never returns), the parent gets its pid."""
    pid = os.fork()
    if pid:
        for stream in streams:
            os.close(stream)
        return pid
    code = 1
    try:
        for sock in closing:
            sock.close()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        for number, stream in enumerate(streams):
            os.dup2(stream, number)
            os.close(stream)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import numpy
        numpy.random.seed()
        from ipykernel.kernelapp import launch_new_instance
        # ipykernel read JPY_PARENT_PID when the template imported it, before this kernel had a parent
        parent = os.environ.get("JPY_PARENT_PID")
        watch_parent = [f"--IPKernelApp.parent_handle={parent}"] if parent else []
        sys.argv = ["ipykernel_launcher", *request["argv"], *watch_parent]
        launch_new_instance()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reap(kernels: dict[int, socket.socket], events: selectors.BaseSelector) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = kernels.pop(pid, None)
        if connection is not None:
            with contextlib.suppress(KeyError):
                events.unregister(connection)
            with contextlib.suppress(OSError):
                connection.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
            connection.close()


if __name__ == "__main__":
    serve(sys.argv[1])
