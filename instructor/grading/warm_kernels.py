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

Sandboxed (the default): the server runs under bubblewrap and every kernel it forks enters namespaces of its
own before it starts (see sandbox). The kernels then cannot be reached over TCP, so their clients use ZeroMQ's
`ipc` transport, with Unix sockets in the server's runtime folder: `client_config()`.
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
from traitlets.config import Config

from instructor.grading import grading_kernel, sandbox
from instructor.grading.warm_kernel_launcher import LOG_VAR, SERVER_VAR

KERNEL_NAME = "course-grading"
LAUNCHER = Path(__file__).resolve().parent / "warm_kernel_launcher.py"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
RUNTIME_BASE = Path("/var/tmp") if Path("/var/tmp").is_dir() else Path(tempfile.gettempdir())
# what a kernel's environment may hold of its launcher's (a grader's environment may hold passwords)
KERNEL_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION",
              "JPY_PARENT_PID", "NBGRADER_EXECUTION", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "PYTHONHASHSEED", "JUPYTER_RUNTIME_DIR")


@contextlib.contextmanager
def serving(env: dict[str, str], sandboxed: bool = True, log_kernels: bool = False) -> Iterator[dict[str, str]]:
    """Run a server (with the kernels' environment `env`); yield `env` plus what makes Jupyter use it:
    a kernelspec named KERNEL_NAME (`--Execute.kernel_name=course-grading`), the server's address and the
    folder for the kernels' connection files. `log_kernels`: the kernels' own stdout and stderr go to a file
    in that folder, not to the launcher's."""
    if sandboxed:
        sandbox.check_available()
    with tempfile.TemporaryDirectory(prefix="warm-kernels-", dir=RUNTIME_BASE) as folder:
        root = Path(folder)
        spec, server_dir, runtime = root / "kernels" / KERNEL_NAME, root / "server", root / "runtime"
        for path in (spec, server_dir, runtime):
            path.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps(_kernelspec()))
        served = dict(env, **{SERVER_VAR: str(server_dir / "socket"), "JUPYTER_RUNTIME_DIR": str(runtime),
                              "JUPYTER_PATH": os.pathsep.join(filter(None, [folder, env.get("JUPYTER_PATH")]))})
        if log_kernels:  # the kernels' own log, kept out of the grader's output (a sandboxed kernel's ipykernel
            # complains at shutdown that it cannot see /proc, for one)
            served[LOG_VAR] = str(root / "kernels.log")
        command = [sys.executable, "-m", "instructor.grading.warm_kernels", served[SERVER_VAR]]
        if sandboxed:
            command = [*sandbox.bwrap_command([server_dir, runtime]), *command, "--isolate"]
        # the server exits when its stdin closes, so it cannot outlive whoever started it
        server = subprocess.Popen(command, env=served, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            if server.stdout.readline() != b"listening\n":
                raise RuntimeError(f"the warm-kernel server did not start (exit code {server.wait()})")
            yield served
        finally:
            server.stdin.close()
            server.wait()


@contextlib.contextmanager
def grading_environment(sandboxed: bool = True, log_kernels: bool = False) -> Iterator[dict[str, str]]:
    """The environment of a process (a grading worker's nbgrader) whose kernels are warm grading kernels."""
    with serving(grading_kernel.environment(), sandboxed, log_kernels) as served:
        yield served


@contextlib.contextmanager
def grading_in_this_process(sandboxed: bool = True) -> Iterator[None]:
    """Set os.environ as a grading worker's nbgrader has it, so that kernels started from this process
    (by nbclient or jupyter_client, with CLIENT_CONFIG: the bench, the tests) are warm grading kernels."""
    saved = dict(os.environ)
    with grading_environment(sandboxed) as served:
        os.environ.update(served)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def client_config(env: dict[str, str] | None = None) -> Config:
    """What a kernel client (jupyter_client's KernelManager, through nbclient or nbgrader) needs to reach the
    kernels of the server whose environment is `env` (default: this process's)."""
    runtime = (os.environ if env is None else env)["JUPYTER_RUNTIME_DIR"]
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(runtime, "kernel")}})


def _kernelspec() -> dict:
    """The standard Python kernel's spec (protocol, encryption), started through the launcher."""
    standard = KernelSpecManager().get_kernel_spec("python3").to_dict()
    return dict(standard, argv=[sys.executable, "-I", "-S", str(LAUNCHER), "-f", "{connection_file}"],
                display_name=f"{standard['display_name']}, forked warm")


def serve(address: str, isolate: bool) -> None:
    """The server: listen, warm up, then fork one kernel per connection until stdin closes. It says it is
    listening before it warms up, so that nbgrader starts (which takes seconds) while it does; a kernel asked
    for meanwhile waits in the queue."""
    sandbox.no_dumping()
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
                _start_kernel(listener, kernels, events, closing=[listener, children_exited, wakeup],
                              hidden=[os.path.dirname(address)] if isolate else None)
            elif key.data == "reap":
                children_exited.recv(4096)
                _reap(kernels, events)
            elif key.data == "stop":
                for pid in kernels:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                return
            elif key.data in kernels:
                _from_launcher(key.fileobj, key.data, events)


def _from_launcher(connection: socket.socket, pid: int, events: selectors.BaseSelector) -> None:
    """A launcher passes on a signal ("signal N"; kernels' process ids mean nothing outside the sandbox) or
    goes away, which takes its kernel with it."""
    message = connection.recv(64)
    if message.startswith(b"signal ") and message[7:].strip().isdigit():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, int(message[7:]))
        return
    events.unregister(connection)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _start_kernel(listener: socket.socket, kernels: dict[int, socket.socket], events: selectors.BaseSelector,
                  closing: list[socket.socket], hidden: list[str] | None) -> None:
    """Fork a kernel for the launcher that connected. A request that goes wrong costs that kernel only."""
    connection, _ = listener.accept()
    try:
        request, streams = _read_request(connection)
    except (OSError, ValueError) as error:
        print(f"warm kernels: a launcher's request could not be read ({error})", file=sys.stderr, flush=True)
        connection.close()
        return
    pid = _fork_kernel(request, streams, closing=[*closing, *kernels.values(), connection], hidden=hidden)
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


def _fork_kernel(request: dict, streams: list[int], closing: list[socket.socket], hidden: list[str] | None) -> int:
    """Fork; the child becomes the kernel the request asks for (and never returns), the parent gets its pid.
    `hidden`: isolate the kernel in namespaces of its own, with these folders out of its sight (None: not)."""
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
        os.closerange(3, 1 << 16)  # nothing of the server's reaches a kernel
        memory = int(request["env"].get(grading_kernel.MEMORY_VAR, grading_kernel.DEFAULT_MEMORY_MB)) * 2**20
        os.environ.clear()
        os.environ.update({name: value for name, value in request["env"].items() if name in KERNEL_ENV})
        if hidden is None:
            os.chdir(request["cwd"])
            grading_kernel.cap_memory(memory)
        else:
            sandbox.isolate_kernel(hidden, memory)
            home = f"{sandbox.SCRATCH}/home"
            os.environ.update(HOME=home, IPYTHONDIR=f"{home}/.ipython", MPLCONFIGDIR=f"{home}/.mpl",
                              TMPDIR=f"{sandbox.SCRATCH}/tmp")
        import numpy
        numpy.random.seed()
        from ipykernel.kernelapp import launch_new_instance
        # ipykernel read JPY_PARENT_PID when the template imported it, before this kernel had a parent. An
        # isolated kernel has no parent it could see: it dies with the process that stands for it instead.
        # (1 means none, and keeps ipykernel from printing its banner for a kernel started by hand).
        parent = os.environ.get("JPY_PARENT_PID") if hidden is None else "1"
        watch_parent = [f"--IPKernelApp.parent_handle={parent}"] if parent else []
        # the history of what ran (the hidden checks' calls included) stays in this kernel's memory
        sys.argv = ["ipykernel_launcher", *request["argv"], *watch_parent, "--HistoryManager.hist_file=:memory:"]
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
    serve(sys.argv[1], isolate="--isolate" in sys.argv[2:])
