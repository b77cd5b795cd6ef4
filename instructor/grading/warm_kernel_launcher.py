"""What Jupyter starts in place of a grading kernel: it has the warm-kernel server fork one, and stands for it.

Jupyter (nbclient, inside nbgrader) watches, signals and kills the process it started. This launcher is that
process: it hands the server its arguments, working directory, environment and standard streams, passes on
every signal it can catch to the kernel (through the server: the kernel's process id means nothing outside its
sandbox), and exits with the kernel's exit status. If it is killed outright, the server sees its connection
close and kills the kernel. See warm_kernels.py.

A kernel's own stdout and stderr (its log, not what the notebook prints: that goes over ZeroMQ) are the
launcher's, or the file named by COURSE_WARM_KERNELS_LOG.

The kernel sees the connection file only in the server's runtime folder (JUPYTER_RUNTIME_DIR), so the
launcher puts a copy there (Jupyter clients write it wherever they like, often to /tmp).

It runs as `python -I -S warm_kernel_launcher.py ...`, so it imports the standard library only.
"""
import json
import os
import shutil
import signal
import socket
import sys
import tempfile

SERVER_VAR = "COURSE_WARM_KERNELS"  # the server's socket path (warm_kernels.SERVER_VAR)
LOG_VAR = "COURSE_WARM_KERNELS_LOG"  # if set: a file for the kernel's own stdout and stderr (its log)
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def main() -> int:
    with tempfile.TemporaryDirectory(dir=os.environ["JUPYTER_RUNTIME_DIR"]) as runtime:
        return run(_connection_file_in(runtime, sys.argv[1:]))


def _connection_file_in(runtime: str, argv: list[str]) -> list[str]:
    """The kernel's arguments, with its connection file (`-f PATH`) copied into `runtime`."""
    if "-f" not in argv[:-1]:
        return argv
    at = argv.index("-f") + 1
    copy = os.path.join(runtime, os.path.basename(argv[at]))
    shutil.copyfile(argv[at], copy)
    os.chmod(runtime, 0o755)
    return argv[:at] + [copy] + argv[at + 1:]


def run(argv: list[str]) -> int:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(os.environ[SERVER_VAR])
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    streams = [0, 1, 2]
    if os.environ.get(LOG_VAR):
        log = os.open(os.environ[LOG_VAR], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        streams = [0, log, log]
    socket.send_fds(server, [json.dumps(request).encode() + b"\n"], streams)
    replies = server.makefile("r")
    int(replies.readline())  # the kernel has started
    def forward(received, _frame):
        try:
            server.sendall(f"signal {received}\n".encode())
        except OSError:  # the kernel has just exited and the server hung up: nothing left to signal
            pass

    for number in FORWARDED:
        signal.signal(number, forward)
    status = replies.readline()  # "exit N" (N < 0: killed by signal -N); empty if the server went away
    code = int(status.split()[1]) if status.startswith("exit ") else 1
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main())
