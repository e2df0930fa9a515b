"""Inert pages (stage 5 of the pipeline: report): nothing a student wrote runs in a browser.

The autograded notebook is rendered twice in someone's browser: as the student's feedback and
in formgrader, on the instructor's own Jupyter origin. ``SanitizeNotebook`` removes from every
cell what could run there: JavaScript outputs and widget state, ``<script>``, event handlers,
``javascript:`` and ``data:`` URLs in Markdown and HTML, SVG (which can carry scripts), and
unknown tags, using nbconvert's ``SanitizeHTML`` (bleach) with a stricter allowlist. The grading
config also sets ``HTMLExporter.sanitize_html``, so the exporter sanitises again when it renders.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbgrader.preprocessors import NbGraderPreprocessor

SAFE_TAGS = [
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "u", "ul",
]
SAFE_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title", "width", "height"],
                   "td": ["align"], "th": ["align"], "span": ["class"], "div": ["class"]}
SAFE_OUTPUTS = {"metadata", "text/plain", "text/latex", "image/png", "image/jpeg"}
# Markdown link or image syntax with a scheme that runs code or loads a page inline.
_TAG = re.compile(r"<\s*[a-zA-Z!/?]")
_BAD_LINK = re.compile(r"(\]\s*\(\s*<?\s*)(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


class SanitizeNotebook(NbGraderPreprocessor, SanitizeHTML):
    """Strip everything executable from Markdown, raw cells and outputs (see module docstring)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.tags = SAFE_TAGS
        self.attributes = SAFE_ATTRIBUTES
        self.safe_output_keys = SAFE_OUTPUTS
        self.sanitized_output_types = {"text/html", "text/markdown"}
        self.strip = True
        self.strip_comments = True

    def preprocess_cell(self, cell, resources, index):
        cell.get("metadata", {}).pop("widgets", None)
        if cell.cell_type in ("markdown", "raw"):
            cell.source = _BAD_LINK.sub(r"\1blocked-", cell.source)
            if not _TAG.search(cell.source):  # plain Markdown: nothing to strip, keep `a<b` as is
                return cell, resources
        cell, resources = SanitizeHTML.preprocess_cell(self, cell, resources, index)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data")
                if not data:
                    continue
                for key in list(data):
                    if key not in SAFE_OUTPUTS and key not in self.sanitized_output_types:
                        del data[key]
                for key in ("text/html", "text/markdown"):
                    if key in data:
                        data[key] = _BAD_LINK.sub(r"\1blocked-", data[key])
        return cell, resources

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)
