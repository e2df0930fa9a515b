"""Limits and a guard for the kernel that runs a student's notebook while it is graded.

autograder/nbgrader_config.py makes every grading kernel run ``install()`` at start-up, before
any student code (``IPKernelApp.exec_lines``). It

- caps the kernel's memory (``RLIMIT_AS``, ``COURSE_MEMORY_LIMIT_MB``, default 4096), the size of
  any file it writes (``RLIMIT_FSIZE``, ``COURSE_FILE_LIMIT_MB``, default 256) and disables core
  dumps, so a runaway submission fails in its own kernel instead of starving the machine;
- adds a Python audit hook (PEP 578: it cannot be removed once added) that refuses, with a
  ``PermissionError``, to read or list anything in the protected places (the course directory
  with its gradebook, ``solutions/``, other students' folders and ``.git``; the repository;
  the grader's scratch and Jupyter runtime folders), except what a notebook legitimately reads
  (``course/``, ``data/``, the virtual environment, IPython's and matplotlib's config), and to
  write anywhere but the kernel's own folder and the temp folder: a submission cannot plant a
  ``.pth`` file, an IPython start-up script or a changed ``course`` module for the students
  graded after it;
- refuses to start programs (``subprocess``, ``os.system``, ``exec*``), to signal processes
  other than its own children, to raise its limits, to look up C functions through ctypes in
  the C library, and more than a few dozen forks;
- puts back built-in functions and types (and ``math``, ``sys.audit``, ``importlib.reload``)
  that a student rebound, whenever a cell is compiled or run and when a test cell raises the
  audit event ``course.restore_builtins``: ``builtins.abs = lambda x: 0`` in one cell cannot
  make the checkers in a later test cell pass.

This is defence in depth, not a jail: a determined student with ctypes tricks can still
escape a same-user process. The static scan in ``autograder.flags`` names such code for the
instructor, and graders who need a hard boundary run kernels as another user or in a container.
Only the standard library is used, so the kernel starts as fast as before.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

ENV_DENY = "COURSE_SANDBOX_DENY"  # os.pathsep-separated protected paths
ENV_ALLOW = "COURSE_SANDBOX_READ"  # os.pathsep-separated readable exceptions inside them
ENV_SECRET = "COURSE_SANDBOX_SECRET"  # never readable, whatever else says (gradebook, runtime)
ENV_OFF = "COURSE_SANDBOX"  # "0" turns the guard (not the limits) off
MAX_FORKS = 64

# event name -> (indexes of path arguments checked for reading, ... checked for writing)
_PATH_EVENTS = {
    "os.listdir": ((0,), ()),
    "os.scandir": ((0,), ()),
    "glob.glob": ((0,), ()),
    "glob.glob/2": ((0, 2), ()),
    "os.chdir": ((0,), ()),
    "sqlite3.connect": ((), (0,)),
    "os.rename": ((), (0, 1)),
    "os.remove": ((), (0,)),
    "os.rmdir": ((), (0,)),
    "os.mkdir": ((), (0,)),
    "os.link": ((), (0, 1)),
    "os.symlink": ((), (1,)),
    "os.truncate": ((), (0,)),
    "os.chmod": ((), (0,)),
    "os.chown": ((), (0,)),
    "os.utime": ((), (0,)),
    "shutil.rmtree": ((), (0,)),
    "shutil.copyfile": ((0,), (1,)),
    "shutil.copytree": ((0,), (1,)),
    "shutil.move": ((), (0, 1)),
    "shutil.unpack_archive": ((0,), (1,)),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_SPAWN_EVENTS = {
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn",
    "os.startfile", "_posixsubprocess.fork_exec",
}
_LIMIT_EVENTS = {"resource.setrlimit", "resource.prlimit"}
_LIBC_SYMBOLS = {
    "system", "popen", "execv", "execve", "execvp", "execl", "execlp", "execle", "fork", "vfork",
    "posix_spawn", "posix_spawnp", "open", "open64", "openat", "openat64", "fopen", "fopen64",
    "creat", "unlink", "unlinkat", "rename", "renameat", "kill", "ptrace", "setrlimit",
    "prlimit", "prlimit64", "chmod", "chdir", "syscall", "dlopen", "mprotect",
}


def _real(path) -> str | None:
    if isinstance(path, int) or path is None:
        return None
    try:
        path = os.fsdecode(os.fspath(path))
    except TypeError:
        return None
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return os.path.realpath(path)


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _split(value: str) -> list[str]:
    return [os.path.realpath(p) for p in value.split(os.pathsep) if p.strip()]


def set_limits() -> dict[str, int]:
    """Memory, file size and core-dump limits for this process and its children."""
    import resource

    limits = {
        "RLIMIT_AS": int(os.environ.get("COURSE_MEMORY_LIMIT_MB", "4096")) * 2**20,
        "RLIMIT_FSIZE": int(os.environ.get("COURSE_FILE_LIMIT_MB", "256")) * 2**20,
        "RLIMIT_CORE": 0,
    }
    applied = {}
    for name, value in limits.items():
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        if value <= 0:
            continue
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
            applied[name] = value
        except (ValueError, OSError):
            pass
    return applied


@dataclass
class Rules:
    """Where a grading kernel may read and write."""

    cwd: str
    deny: list[str]  # no reading or writing inside, except ``read_ok`` and ``cwd``
    read_ok: list[str]  # readable exceptions inside ``deny``
    write_ok: list[str]  # writable places besides ``cwd`` (not inside ``deny``)
    secret: list[str]  # neither readable nor writable, even inside ``read_ok`` or ``write_ok``

    def can_read(self, real: str) -> bool:
        if _inside(real, self.secret):
            return False
        if real.startswith("/proc/"):
            parts = real.split("/")
            if parts[2].isdigit() and int(parts[2]) != os.getpid() and parts[3:] != ["stat"]:
                return False
        if _inside(real, [self.cwd]) or not _inside(real, self.deny):
            return True
        return _inside(real, self.read_ok)

    def can_write(self, real: str) -> bool:
        if _inside(real, self.secret):
            return False
        if _inside(real, [self.cwd]):
            return True
        return _inside(real, self.write_ok) and not _inside(real, self.deny)


def rules_for(cwd: str | None = None) -> Rules:
    """The rules for a kernel started in ``cwd`` (the environment names the protected places)."""
    import tempfile

    cwd = os.path.realpath(cwd or os.getcwd())
    deny = _split(os.environ.get(ENV_DENY, ""))
    parts = cwd.split(os.sep)
    # a kernel graded by nbgrader runs in <course>/autograded/<student>/<assignment>
    if len(parts) > 3 and parts[-3] in ("autograded", "submitted", "feedback"):
        deny.append(os.sep.join(parts[:-3]))
    writable = [os.path.realpath(tempfile.gettempdir()), "/dev"]
    secret = _split(os.environ.get(ENV_SECRET, ""))
    return Rules(cwd, sorted(set(deny)), _split(os.environ.get(ENV_ALLOW, "")), writable, secret)


RESTORE_EVENT = "course.restore_builtins"


def snapshot() -> list[tuple[dict, str, object]]:
    """The built-in functions and types (and a few module functions tests rely on) as they are
    now, before any student code: (namespace, name, value) triples."""
    import builtins
    import importlib
    import math

    kinds = (type(len), type)
    saved = [(vars(builtins), k, v) for k, v in vars(builtins).items() if isinstance(v, kinds)]
    saved += [(vars(math), k, v) for k, v in vars(math).items() if not k.startswith("_")]
    saved += [(vars(sys), "audit", sys.audit)]
    saved += [(vars(importlib), k, getattr(importlib, k)) for k in ("reload", "import_module")]
    return saved


def restore(saved: list[tuple[dict, str, object]]) -> None:
    """Undo any rebinding of the snapshotted names (dict writes: nothing to monkeypatch)."""
    for namespace, name, value in saved:
        if namespace.get(name) is not value:
            namespace[name] = value


def make_hook(rules: Rules, saved: list | None = None):
    """The audit hook: raise PermissionError for what a graded notebook must not do, and put
    rebound built-ins back whenever a cell is compiled or run (or a test cell asks)."""
    own_pid = os.getpid()
    forks = [0]
    saved = saved or []

    def refuse(what: str):
        raise PermissionError(f"not allowed while grading: {what}")

    def check(event: str, path, write: bool) -> None:
        real = _real(path)
        if real is not None and not (rules.can_write(real) if write else rules.can_read(real)):
            refuse(f"{event} {'writing' if write else 'reading'} {path!r}")

    def hook(event: str, args: tuple) -> None:
        if event in ("compile", "exec", RESTORE_EVENT):
            restore(saved)
            return
        if event == "open":
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            write = bool(flags & _WRITE_FLAGS) or any(m in mode for m in "wax+")
            if args:
                check(event, args[0], write)
        elif event in _PATH_EVENTS:
            reads, writes = _PATH_EVENTS[event]
            for i in reads:
                if i < len(args):
                    check(event, args[i], False)
            for i in writes:
                if i < len(args):
                    check(event, args[i], True)
        elif event in _SPAWN_EVENTS:
            refuse(f"starting a program ({event})")
        elif event in ("os.fork", "os.forkpty"):
            forks[0] += 1
            if forks[0] > MAX_FORKS:
                refuse(f"more than {MAX_FORKS} forks")
        elif event in ("os.kill", "os.killpg"):
            pid = args[0] if args else None
            if isinstance(pid, int) and pid not in (0, own_pid, os.getpid()) and not _is_child(pid):
                refuse(f"{event} {pid}")
        elif event in _LIMIT_EVENTS:
            refuse(event)
        elif event == "ctypes.dlopen":
            name = args[0] if args else None
            base = os.path.basename(os.fsdecode(name)) if isinstance(name, (str, bytes)) else ""
            if name is None or base.startswith(("libc.", "libc-", "libdl", "libpthread")):
                refuse(f"ctypes.dlopen({name!r})")
        elif event == "ctypes.dlsym":
            lib = args[0] if args else None
            name = args[1] if len(args) > 1 else ""
            lib_name = getattr(lib, "_name", "") or ""
            if (isinstance(name, str) and name in _LIBC_SYMBOLS) or "libc." in str(lib_name):
                refuse(f"ctypes lookup of {name!r}")

    return hook


def _is_child(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return int(fields[1]) == os.getpid()
    except (OSError, IndexError, ValueError):
        return False


def install() -> None:
    """Apply the limits, then the guard (unless COURSE_SANDBOX=0). Called in the kernel."""
    set_limits()
    if os.environ.get(ENV_OFF, "1") == "0":
        return
    import ctypes  # noqa: F401 - its own start-up looks up the C library; do that first

    sys.addaudithook(make_hook(rules_for(), snapshot()))


def exec_line(path: str | None = None) -> str:
    """The IPython start-up line that installs the guard from this file (no sys.path change)."""
    path = path or os.path.abspath(__file__)
    return f"__import__('runpy').run_path({path!r}, run_name='course_sandbox')['install']()"
