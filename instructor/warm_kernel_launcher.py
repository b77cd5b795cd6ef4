"""What Jupyter starts in place of a grading kernel: it has the warm-kernel server fork one, and stands for it.

Jupyter (nbclient, inside nbgrader) watches, signals and kills the process it started. This launcher is that
process: it hands the server its arguments, working directory, environment and standard streams, forwards
every signal it can catch to the kernel, and exits with the kernel's exit status. If it is killed outright,
the server sees its connection close and kills the kernel. See warm_kernels.py.

It runs as `python -I -S warm_kernel_launcher.py ...`, so it imports the standard library only.
"""
import json
import os
import signal
import socket
import sys

SERVER_VAR = "COURSE_WARM_KERNELS"  # the server's socket path (warm_kernels.SERVER_VAR)
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def main() -> int:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(os.environ[SERVER_VAR])
    request = {"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(server, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    replies = server.makefile("r")
    kernel = int(replies.readline())
    for number in FORWARDED:
        signal.signal(number, lambda received, _frame: os.kill(kernel, received))
    status = replies.readline()  # "exit N" (N < 0: killed by signal -N); empty if the server went away
    code = int(status.split()[1]) if status.startswith("exit ") else 1
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main())
