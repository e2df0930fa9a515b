"""Every grading kernel in its own bubblewrap sandbox (stage 3 of the pipeline: execution).

nbgrader starts kernels through ``Execute.kernel_manager_class``; the grading config points it
at :class:`SandboxedKernelManager`, which launches ``python -m ipykernel_launcher`` inside
``bwrap`` (Debian package ``bubblewrap``) instead of directly. Each kernel gets:

- its own mount namespace holding only the system (``/usr``, ``/etc``), the Python install, the
  virtual environment, ``course/`` and ``data/``, all read-only; the solutions, the gradebook,
  the reports, other students' folders and the worker's files do not exist in it;
- a private, size-limited ``tmpfs`` copy of the submission's folder as its working folder
  (what the kernel writes is gone when it ends, so nothing reaches ``feedback/``), and private
  size-limited ``/tmp`` and ``/dev/shm``;
- no network, its own PID, IPC and UTS namespaces (it can neither see nor signal anything
  outside, and everything it starts dies with it), an unprivileged user with no capabilities;
- a cgroup with a process and a memory limit (an ``RLIMIT_NPROC`` fallback where cgroups
  cannot be written), and rlimits on memory, file size, open files and CPU time;
- a connection over IPC sockets in a per-kernel folder that only its worker and that sandbox
  see, and an environment built from an allowlist plus the grading settings (never the
  grader's own environment).

A restart goes through the same path, and ``python -P`` keeps the working folder off
``sys.path``, so a student's ``ipykernel_launcher.py`` or ``torch.py`` shadows nothing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Integer, List, Unicode

ROOT = Path(__file__).resolve().parents[2]
GUARD = ROOT / "autograder" / "sandbox.py"
GUARD_IN_SANDBOX = "/opt/course-grader/guard.py"
STAGE_IN_SANDBOX = "/opt/course-grader/stage"
MPL_IN_SANDBOX = "/opt/course-grader/matplotlib"

# Variables a grading kernel may inherit from the grader; everything else is dropped.
PASS_ENV = (
    "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING",
    "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "JPY_PARENT_PID", "JPY_SESSION_NAME",
)
CGROUP_BASE = "course-grading"
ETC_FILES = (
    "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "fonts",
    "mime.types", "nsswitch.conf", "hosts", "host.conf", "passwd", "group", "os-release",
    "debian_version", "ssl", "ca-certificates", "matplotlibrc", "locale.alias", "magic",
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check_bwrap() -> str | None:
    """None when bwrap can start a sandbox here, else one sentence saying why not."""
    import subprocess

    exe = bwrap_path()
    if not exe:
        return ("bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (Debian/Ubuntu), "
                "`dnf install bubblewrap` (Fedora)")
    probe = [exe, "--ro-bind", "/", "/", "--unshare-all", "--unshare-user", "--uid", "1000",
             "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "--", "true"]
    try:
        res = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if res.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {res.stderr.strip()[:300]}"
    return None


def _cgroup_root(controller: str) -> Path | None:
    """The folder of this process's cgroup for a v1 controller, if we may create children."""
    base = Path("/sys/fs/cgroup") / controller
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, names, path = line.split(":", 2)
            if controller in names.split(","):
                folder = base / path.lstrip("/")
                if os.access(folder, os.W_OK):
                    return folder
    except OSError:
        return None
    return None


def make_cgroups(name: str, pids_max: int, memory_bytes: int) -> list[Path]:
    """Create cgroups ``name`` with the limits; returns their folders (empty if impossible)."""
    made = []
    for controller, files in (("pids", {"pids.max": pids_max}),
                              ("memory", {"memory.limit_in_bytes": memory_bytes,
                                          "memory.memsw.limit_in_bytes": memory_bytes})):
        root = _cgroup_root(controller)
        if root is None:
            continue
        folder = root / CGROUP_BASE / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for fname, value in files.items():
                if value > 0 and (folder / fname).exists():
                    with contextlib.suppress(OSError):
                        (folder / fname).write_text(str(value))
            made.append(folder)
        except OSError:
            continue
    return made


def remove_cgroups(folders: list[Path]) -> None:
    """Kill whatever is left in the cgroups, then remove them."""
    import signal
    import time

    for folder in folders:
        for _ in range(50):
            try:
                pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
            except OSError:
                break
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _owner_alive(folder: Path) -> bool:
    """A kernel's cgroup is named ``<pid of the grader that made it>-...``: is that grader alive?"""
    head = folder.name.split("-", 1)[0]
    if not head.isdigit():
        return False
    try:
        os.kill(int(head), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_cgroups() -> int:
    """Kill and remove the grading cgroups a dead grader left behind (a killed run); those of
    live graders (another run, a stock ``nbgrader autograde`` beside this one) are left alone.
    Returns how many were removed."""
    n = 0
    for controller in ("pids", "memory"):
        root = _cgroup_root(controller)
        if root is None or not (root / CGROUP_BASE).is_dir():
            continue
        folders = [p for p in (root / CGROUP_BASE).iterdir() if p.is_dir() and not _owner_alive(p)]
        remove_cgroups(folders)
        n += len(folders)
    return n


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run inside bubblewrap (see the module docstring)."""

    env = Dict(Unicode(), default_value={}, help="Grading settings given to the kernel only.").tag(config=True)
    extra_arguments = List(Unicode(), default_value=[], help="Extra ipykernel arguments.").tag(config=True)
    read_only = List(Unicode(), default_value=[], help="More folders bound read-only.").tag(config=True)
    memory_mb = Integer(3072, help="Memory limit (cgroup and RLIMIT_AS), MB.").tag(config=True)
    address_space_mb = Integer(6144, help="RLIMIT_AS, MB (torch reserves address space).").tag(config=True)
    pids_max = Integer(256, help="Processes and threads the kernel may have at once.").tag(config=True)
    file_mb = Integer(256, help="Largest file the kernel may write, MB.").tag(config=True)
    workdir_mb = Integer(512, help="Size of the private working folder (tmpfs), MB.").tag(config=True)
    tmp_mb = Integer(512, help="Size of the private /tmp (tmpfs), MB.").tag(config=True)
    shm_mb = Integer(64, help="Size of the private /dev/shm (tmpfs), MB.").tag(config=True)
    open_files = Integer(1024, help="Open files (RLIMIT_NOFILE).").tag(config=True)
    cpu_seconds = Integer(3600, help="CPU time for the whole kernel (RLIMIT_CPU), seconds.").tag(config=True)
    guard = Bool(True, help="Also install the in-kernel guard (autograder/sandbox.py).").tag(config=True)
    stage_max_mb = Integer(64, help="Files beside the notebook copied in, MB in all.").tag(config=True)

    _kdir: str | None = None
    _cgroups: list[Path] = []
    _sealed = False

    # --- launching ----------------------------------------------------------------------
    async def _async_pre_start_kernel(self, **kw):
        if self._kdir is None:
            base = Path(tempfile.gettempdir()) / "course-kernels"
            base.mkdir(mode=0o711, exist_ok=True)
            self._kdir = tempfile.mkdtemp(prefix="k", dir=base)
            self.transport = "ipc"
            self.ip = os.path.join(self._kdir, "ipc")
            self.connection_file = os.path.join(self._kdir, "connection.json")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        return self.wrap(cmd, kw)

    def kernel_env(self, env: dict[str, str]) -> dict[str, str]:
        """The kernel's whole environment: an allowlist from ``env`` plus the grading settings."""
        out = {k: env[k] for k in PASS_ENV if k in env}
        venv_bin = os.path.dirname(sys.executable)
        out.update({
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp/home", "TMPDIR": "/tmp", "IPYTHONDIR": "/tmp/ipython",
            "MPLCONFIGDIR": "/tmp/matplotlib", "PYTHONDONTWRITEBYTECODE": "1",
            "VIRTUAL_ENV": sys.prefix,
        })
        out.update(self.env)
        return out

    def _binds(self) -> list[str]:
        args: list[str] = ["--ro-bind", "/usr", "/usr"]
        # Only what programs read from /etc: inside its user namespace the kernel owns every
        # root-owned file it sees, so /etc/shadow and the like must not be there at all.
        for name in ETC_FILES:
            path = os.path.join("/etc", name)
            if os.path.exists(path):
                args += ["--ro-bind", path, path]
        for link in ("bin", "lib", "lib64", "sbin"):
            p = Path("/") / link
            if p.is_symlink():
                args += ["--symlink", os.readlink(p), str(p)]
            elif p.is_dir():
                args += ["--ro-bind", str(p), str(p)]
        seen: set[str] = set()
        for path in [sys.base_prefix, sys.prefix, str(ROOT / "course"), str(ROOT / "data"), *self.read_only]:
            real = os.path.realpath(path)
            if real in seen or not os.path.exists(real) or real in ("/usr", "/"):
                continue
            seen.add(real)
            args += ["--ro-bind", real, real]
            if real != os.path.abspath(path):  # keep the path the kernel is told, too
                args += ["--ro-bind", real, os.path.abspath(path)]
        if self.guard:
            args += ["--ro-bind", str(GUARD), GUARD_IN_SANDBOX]
        mpl = os.environ.get("MPLCONFIGDIR")
        if mpl and os.path.isdir(mpl):
            args += ["--ro-bind", mpl, MPL_IN_SANDBOX]
        return args

    def _stage(self, cwd: str) -> str:
        """A copy of the files nbgrader put in the working folder (bounded), to seed the tmpfs."""
        # beside the kernel's folder, not in it: only the read-only bind reaches it
        stage = self._kdir + ".stage"
        shutil.rmtree(stage, ignore_errors=True)
        os.mkdir(stage)
        budget = self.stage_max_mb * 2**20
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(cwd), key=lambda e: e.name)[:200]:
                if not entry.is_file(follow_symlinks=False) or entry.name.startswith("."):
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                if size > budget:
                    continue
                budget -= size
                shutil.copyfile(entry.path, os.path.join(stage, entry.name))
        return stage

    def wrap(self, cmd: list[str], kw: dict) -> tuple[list[str], dict]:
        """``cmd`` (``python -m ipykernel_launcher -f FILE``) rewritten to run in bubblewrap."""
        exe = bwrap_path()
        if not exe:
            raise SandboxUnavailable(check_bwrap() or "bwrap not found")
        cwd = os.path.realpath(kw.get("cwd") or os.getcwd())
        self._unseal()  # a (re)starting kernel creates its sockets in the folder
        stage = self._stage(cwd)
        env = self.kernel_env(kw.get("env") or dict(os.environ))
        name = f"{os.getpid()}-{os.path.basename(self._kdir)}-{secrets.token_hex(3)}"
        remove_cgroups(self._cgroups)
        self._cgroups = make_cgroups(name, self.pids_max, self.memory_mb * 2**20)
        # the kernel: python -P (no cwd on sys.path), our launcher flags, then the ipykernel args
        inner = [sys.executable, "-P", *cmd[1:]] if cmd and "python" in os.path.basename(cmd[0]) else list(cmd)
        inner += ["--HistoryManager.enabled=False"]
        if self.guard:
            inner.append("--IPKernelApp.exec_lines="
                         f"__import__('runpy').run_path({GUARD_IN_SANDBOX!r}, run_name='course_sandbox')['install']()")
        inner += list(self.extra_arguments)
        limits = (f"ulimit -v {self.address_space_mb * 1024} && "
                  f"ulimit -f {self.file_mb * 2048} && ulimit -n {self.open_files} && "
                  f"ulimit -t {self.cpu_seconds} && ulimit -c 0")
        if not any("pids" in str(c) for c in self._cgroups):
            # without a pids cgroup: count against this user's processes (root has many)
            limits += f" && ulimit -p {_nproc_now() + self.pids_max}"
        seed = (f"mkdir -p /tmp/home /tmp/ipython && cp -R {MPL_IN_SANDBOX} /tmp/matplotlib 2>/dev/null; "
                f"cp -pR {STAGE_IN_SANDBOX}/. . 2>/dev/null; ")
        script = f"{seed}{limits} && exec {shlex.join(inner)}"
        args = [exe, "--die-with-parent", "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
                "--hostname", "grader", "--cap-drop", "ALL", "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        # mounts apply in order: the private /tmp first, so a course that lives under /tmp (a
        # clone in /tmp, pytest's folders) is bound on top of it, not hidden by it
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--size", str(self.tmp_mb * 2**20), "--tmpfs", "/tmp",
                 "--size", str(self.shm_mb * 2**20), "--tmpfs", "/dev/shm"]
        args += self._binds()
        args += ["--size", str(self.workdir_mb * 2**20), "--tmpfs", cwd,
                 "--ro-bind", stage, STAGE_IN_SANDBOX,
                 "--bind", self._kdir, self._kdir,
                 "--ro-bind", self.connection_file, self.connection_file,
                 "--chdir", cwd, "--", "/bin/sh", "-c", script]
        procs = [str(c / "cgroup.procs") for c in self._cgroups]
        if procs:  # join the cgroups first, so bwrap and all it starts are counted
            joins = " && ".join(f"echo $$ > {shlex.quote(p)}" for p in procs)
            args = ["/bin/sh", "-c", f"{joins} && exec \"$@\"", "course-grading-kernel", *args]
        kw = dict(kw)
        kw["cwd"] = self._kdir
        kw["env"] = {"PATH": "/usr/bin:/bin"}
        return args, kw

    # --- the per-kernel folder: writable only while the kernel creates its sockets ---------
    def seal(self) -> None:
        """Once the kernel is up, give its folder to nobody: the kernel (root outside its user
        namespace, without capabilities) can no longer create files there, so it cannot fill
        the grader's disk through the one host folder it sees. Call before running student code."""
        if self._sealed or not self._kdir or os.geteuid() != 0:
            return
        with contextlib.suppress(OSError):
            os.chown(self._kdir, 65534, 65534)
            os.chmod(self._kdir, 0o755)
            self._sealed = True

    def _unseal(self) -> None:
        if self._kdir and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.chown(self._kdir, 0, 0)
                os.chmod(self._kdir, 0o700)
        self._sealed = False

    # --- signals ------------------------------------------------------------------------
    def inner_pids(self) -> list[int]:
        """Host pids of the kernel processes inside the sandbox (not bwrap itself)."""
        import psutil

        pid = getattr(self.provisioner, "pid", None)
        try:
            kids = psutil.Process(pid).children(recursive=True) if pid else []
        except psutil.Error:
            return []
        kernels = {k.pid for k in kids if _is_kernel(k)}
        # only the kernel itself: its forked children would each raise KeyboardInterrupt
        return [k.pid for k in kids if k.pid in kernels and _ppid(k) not in kernels]

    async def _async_signal_kernel(self, signum: int) -> None:
        """SIGINT and friends go to the kernel inside, not to bwrap (which would die of it)."""
        import signal

        if signum == signal.SIGKILL or not self.has_kernel:
            return await super()._async_signal_kernel(signum)
        for pid in self.inner_pids():
            with contextlib.suppress(OSError):
                os.kill(pid, signum)

    # --- cleaning up --------------------------------------------------------------------
    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            remove_cgroups(self._cgroups)
            self._cgroups = []
            if not restart and self._kdir:
                shutil.rmtree(self._kdir, ignore_errors=True)
                shutil.rmtree(self._kdir + ".stage", ignore_errors=True)
                self._kdir = None

    # the public names are aliases of the base class's functions: point them at ours
    cleanup_resources = _async_cleanup_resources
    signal_kernel = _async_signal_kernel


def _is_kernel(proc) -> bool:
    try:
        return "ipykernel_launcher" in proc.cmdline() and proc.name().startswith("python")
    except Exception:  # noqa: BLE001 - gone or unreadable
        return False


def _ppid(proc) -> int | None:
    try:
        return proc.ppid()
    except Exception:  # noqa: BLE001 - gone
        return None


def _nproc_now() -> int:
    uid = os.getuid()
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    n += 1
    return n


class UnsandboxedKernelManager(AsyncKernelManager):
    """The fallback an instructor must ask for (``--allow-unsandboxed``): no bubblewrap, only the
    in-kernel guard and rlimits. It still gives the kernel the grading settings and keeps the
    working folder off ``sys.path``."""

    env = Dict(Unicode(), default_value={}, help="Grading settings given to the kernel only.").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        from autograder import sandbox

        env = dict(kw.get("env") or os.environ)
        secret = os.pathsep.join(filter(None, [env.get(sandbox.ENV_SECRET), self.env.get(sandbox.ENV_SECRET)]))
        env.update(self.env)
        if secret:
            env[sandbox.ENV_SECRET] = secret
        kw = {**kw, "env": env}
        if cmd and "python" in os.path.basename(cmd[0]):
            cmd = [cmd[0], "-P", *cmd[1:]]
        cmd += ["--HistoryManager.enabled=False", f"--IPKernelApp.exec_lines={sandbox.exec_line()}"]
        return cmd, kw
