"""nbgrader settings for a student's own lab (Validate and the assignment list), nothing else.

`make lab` puts this folder on JUPYTER_CONFIG_PATH and starts JupyterLab from notebooks/, so the
instructor's grading configuration is never loaded: Validate runs the notebook in a plain local
kernel with this machine's GPU, threads and plotting backend. Grading happens elsewhere.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# the folder that holds notebooks/: the repository root, or a student copy's root
ROOT = next(p for p in Path(__file__).resolve().parents if (p / "notebooks").is_dir())

c.CourseDirectory.course_id = "pytorch-nlp"
# Validate runs the whole notebook: the longest training cells take minutes on a laptop.
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "900"))
c.Execute.kernel_name = "python3"
# The assignment list needs an exchange folder; a class server sets NBGRADER_EXCHANGE.
exchange = Path(os.environ.get("NBGRADER_EXCHANGE", ROOT / ".jupyter-local" / "exchange"))
exchange.mkdir(parents=True, exist_ok=True)
c.Exchange.root = str(exchange)
