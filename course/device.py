"""Device choice: CUDA, then Apple's MPS, then the CPU, printed so nobody has to guess."""

from __future__ import annotations

import os

import torch

_VALID = ("cpu", "cuda", "mps")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(prefer: str | None = None, verbose: bool = True) -> torch.device:
    """Return the best available ``torch.device`` (cuda -> mps -> cpu) and print which one.

    ``prefer`` (or the environment variable ``COURSE_DEVICE``) forces a device, e.g. "cpu".
    """
    prefer = prefer or os.environ.get("COURSE_DEVICE") or None
    if prefer is not None:
        kind = prefer.split(":")[0]
        if kind not in _VALID:
            raise ValueError(f"unknown device {prefer!r}: use one of {', '.join(_VALID)}")
        if kind == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(
                "device 'cuda' was requested but torch.cuda.is_available() is False: this torch "
                f"build ({torch.__version__}) or machine has no CUDA. Use 'cpu', or install a CUDA "
                "build of torch (see README, 'Running on a GPU')."
            )
        if kind == "mps" and not _mps_available():
            raise RuntimeError("device 'mps' was requested but MPS is not available here; use 'cpu'.")
        device, why = torch.device(prefer), "requested"
    elif torch.cuda.is_available():
        device, why = torch.device("cuda"), torch.cuda.get_device_name(0)
    elif _mps_available():
        device, why = torch.device("mps"), "Apple Metal"
    else:
        device, why = torch.device("cpu"), "no CUDA or MPS found"
    if verbose:
        print(f"Using device: {device} ({why})")
    return device


def set_cpu_threads(threads: int | None = None, verbose: bool = True) -> int:
    """Use ``threads`` CPU threads for torch (default: ``COURSE_CPU_THREADS``, else 1); return it.

    The course's models are small: a second thread has little to share and mostly waits, and when
    another program keeps a core busy, torch's threads wait on each other and an epoch can take
    many times longer (``bench/RESULTS.md``). On an idle machine with many cores, try more.
    """
    threads = threads or int(os.environ.get("COURSE_CPU_THREADS") or 1)
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    torch.set_num_threads(threads)
    if verbose:
        print(f"CPU threads for torch: {threads} (set_cpu_threads; COURSE_CPU_THREADS to change)")
    return threads
