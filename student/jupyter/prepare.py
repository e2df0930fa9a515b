"""Run by `make lab` before JupyterLab starts: the course's notebooks made ready to open quietly.

    python jupyter/prepare.py [--stamp] notebooks/

- Each notebook is signed (trusted): Jupyter logs a warning for every unsigned notebook it opens.
- With ``--stamp`` (the student copy), each notebook's kernel metadata is set to what this
  machine's Python kernel reports (its Python version included). JupyterLab writes exactly that
  when a notebook's kernel starts, so an untouched notebook no longer shows as modified on opening.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary


def kernel_metadata() -> dict:
    """``kernelspec`` and ``language_info`` as JupyterLab sets them for the python3 kernel."""
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"kernelspec": {"name": "python3", "display_name": spec.display_name, "language": spec.language},
            "language_info": dict(IPythonKernel.language_info)}


def main(argv: list[str]) -> int:
    stamp = "--stamp" in argv
    roots = [Path(a) for a in argv if not a.startswith("--")]
    if not roots:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    notebooks = sorted(p for root in roots for p in (root.rglob("*.ipynb") if root.is_dir() else [root])
                       if ".ipynb_checkpoints" not in p.parts)
    meta = kernel_metadata() if stamp else {}
    notary = NotebookNotary()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if stamp and any(nb.metadata.get(k) != v for k, v in meta.items()):
            nb.metadata.update(meta)
            nbformat.write(nb, path)
        if not notary.check_signature(nb):
            notary.sign(nb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
