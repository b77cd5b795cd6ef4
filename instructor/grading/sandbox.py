"""The operating-system sandbox every grading kernel runs in.

Two layers, both namespaces of the Linux kernel, so nothing inside them depends on Python's good will:

1. Each grading worker's warm-kernel server runs under bubblewrap (`bwrap_command`): a new user, PID, network,
   IPC and UTS namespace; a filesystem of read-only system and Python directories plus the public check library,
   and nothing of the course (no solutions/, source notebooks, submissions, graded work, gradebook,
   nbgrader_config.py, home directory); no network; dies with its parent; its own session.
2. Each kernel the server forks then enters namespaces of its own (`isolate_kernel`) before any student code
   runs: a new user, mount, PID, network and IPC namespace, a private scratch folder (its working directory,
   home, TMPDIR and IPython files), a fresh /proc that shows only its own processes, the server's socket hidden, and the mounts
   locked (a second user namespace), so it cannot undo any of this. It is PID 1 of its namespace: when it
   exits, everything it started dies. Limits: address space, processes, file size, CPU time.

The one writable place kernels of a worker share is the folder holding their connection files and ZeroMQ
sockets (Unix sockets: the network namespace rules out TCP). A worker runs one kernel at a time and a kernel
leaves no process behind, so no kernel ever runs beside another's; the names there are random.
"""
from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import grader_tests

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4

# what kernels import of this project: the check library and this package (wherever they are installed)
PUBLIC_CODE = (Path(grader_tests.__file__).resolve().parent, Path(__file__).resolve().parents[1])
SYSTEM = ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/ld.so.cache", "/etc/localtime", "/etc/fonts",
          "/etc/matplotlibrc", "/etc/mime.types")
KERNEL_TMP_MB = 256
SANDBOX_ID = 1000  # the user and group id inside the sandbox
# each kernel's own folder (working directory, home, TMPDIR); not /tmp, where the course may be checked out
SCRATCH = "/scratch"
LIMITS = {  # per kernel; memory comes from GRADING_MEMORY_MB. Linux does not apply the process limit to
    # processes of the host's root user: grade as another user for it to hold (the PID namespace holds anyway).
    resource.RLIMIT_NPROC: 64,
    resource.RLIMIT_FSIZE: 64 * 2**20,
    resource.RLIMIT_CPU: 600,
}
ENABLE_HINT = ("install bubblewrap (Debian: apt-get install bubblewrap) and allow unprivileged user namespaces "
               "(sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0 on "
               "Ubuntu); in a container, run it with user namespaces allowed (Docker: --security-opt "
               "seccomp=unconfined). Or grade without the sandbox, in a trusted setting only: "
               "--unsafe-no-sandbox (make autograde UNSAFE_NO_SANDBOX=1)")
UNSAFE_NOTE = "UNSAFE: graded without the sandbox (--unsafe-no-sandbox): student code ran with the grader's rights"


class SandboxUnavailable(RuntimeError):
    pass


def check_available() -> None:
    """Raise SandboxUnavailable, with one line saying why and what to do, unless a sandbox starts here."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(f"grading refused: bubblewrap (bwrap) is not installed; {ENABLE_HINT}")
    probe = subprocess.run([*bwrap_command([]), sys.executable, "-c", _NESTED_PROBE], capture_output=True, text=True)
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise SandboxUnavailable(f"grading refused: the sandbox cannot start here ({why}); {ENABLE_HINT}")


_NESTED_PROBE = f"import ctypes; assert ctypes.CDLL(None).unshare({CLONE_NEWUSER | CLONE_NEWNS}) == 0, 'nested " \
                "user namespaces are not allowed'"


def bwrap_command(writable: list[Path]) -> list[str]:
    """bubblewrap's command line for a warm-kernel server; `writable` folders are bound read-write."""
    # Not root inside, even when the grader is: a kernel maps its own user id into its namespaces, and mapping
    # root would take a capability the sandbox does not have.
    command = ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_ID), "--gid", str(SANDBOX_ID),
               "--die-with-parent", "--new-session", "--cap-drop", "ALL",
               "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--dir", "/tmp/home", "--dir", SCRATCH]
    for path in SYSTEM:
        command += ["--ro-bind-try", path, path]
    for path in _python_dirs() + [str(p) for p in PUBLIC_CODE]:
        command += ["--ro-bind", path, path]
    for path in writable:
        command += ["--bind", str(path), str(path)]
    return command + ["--chdir", "/tmp", "--setenv", "HOME", "/tmp/home", "--"]


def _python_dirs() -> list[str]:
    """The interpreter and the virtual environment, whatever paths they live at."""
    dirs = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}
    return sorted(d for d in dirs if not any(d != o and d.startswith(o + os.sep) for o in dirs))


def isolate_kernel(hidden: list[str], memory_bytes: int) -> None:
    """In a freshly forked kernel process, before the kernel starts: enter the kernel's own namespaces.

    Returns in the kernel (PID 1 of its namespace). The process that called it stays behind as the kernel's
    parent in the server's namespace: it passes signals on and exits with the kernel's status, never returning.
    `hidden` folders (the server's socket) are covered, so the kernel cannot reach them."""
    uid, gid = os.getuid(), os.getgid()
    _libc.prctl(PR_SET_DUMPABLE, 1)  # the server is not (see no_dumping); a process that is not cannot map its ids
    _unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
    _map_ids(uid, gid)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", SCRATCH, "tmpfs", MS_NOSUID | MS_NODEV, f"size={KERNEL_TMP_MB}m,mode=0700")
    for folder in hidden:
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m,mode=0500")
    for name in ("home", "work", "tmp"):
        os.mkdir(f"{SCRATCH}/{name}")
    _set_limits(memory_bytes)
    kernel = os.fork()
    if kernel:
        _stand_for(kernel)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # /proc lists the sandbox's processes (a fresh one cannot be mounted under bubblewrap's): cover it, keeping
    # a handle on it only until this process's ids are mapped in the namespace below
    proc = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY)
    _mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m,mode=0555")
    _unshare(CLONE_NEWUSER | CLONE_NEWNS)  # the mounts above are now locked: the kernel cannot undo them
    _map_ids(uid, gid, proc)
    os.close(proc)
    os.chdir(f"{SCRATCH}/work")


def _stand_for(kernel: int) -> None:
    """The kernel's parent: pass signals on, exit as the kernel did. Never returns."""
    _libc.prctl(PR_SET_DUMPABLE, 0)  # the kernel may not attach to it
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(number, lambda received, _frame: os.kill(kernel, received))
    while True:
        try:
            _, status = os.waitpid(kernel, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code & 0xFF)


def _set_limits(memory_bytes: int) -> None:
    """Hard limits, so the kernel cannot raise them again (that needs a privilege it does not have)."""
    for limit, value in {**LIMITS, resource.RLIMIT_AS: memory_bytes}.items():
        resource.setrlimit(limit, (value, value))


_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), f"unshare: {os.strerror(ctypes.get_errno())}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    encoded = [None if v is None else v.encode() for v in (source, target, kind, data)]
    if _libc.mount(encoded[0], encoded[1], encoded[2], flags, encoded[3]) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}: {os.strerror(ctypes.get_errno())}")


def _map_ids(uid: int, gid: int, proc: int | None = None) -> None:
    """Be the same user inside the new user namespace as outside (no other id exists there). `proc`: a handle
    on /proc, where /proc itself is covered."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        handle = os.open(f"self/{name}" if proc is not None else f"/proc/self/{name}", os.O_WRONLY, dir_fd=proc)
        try:
            os.write(handle, text.encode())
        finally:
            os.close(handle)


def no_dumping() -> None:
    """The server: no process of the same user may read its memory or attach to it."""
    _libc.prctl(PR_SET_DUMPABLE, 0)
