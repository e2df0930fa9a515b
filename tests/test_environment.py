"""requirements.txt and environment.yml describe the same pinned environment."""

from __future__ import annotations

import re

from conftest import ROOT


def _pins(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_yml_pins_match_requirements_txt():
    lock = _pins((ROOT / "requirements.txt").read_text())
    env = _pins((ROOT / "environment.yml").read_text())
    assert env, "environment.yml lists no pinned pip packages"
    disagree = {k: (v, lock.get(k)) for k, v in env.items() if lock.get(k) != v}
    assert not disagree, f"environment.yml vs requirements.txt (env, lock): {disagree}; run `make lock`"


def test_every_direct_dependency_is_pinned_in_both():
    direct = [
        re.split(r"[=<>\s]", line.strip())[0].lower().replace("_", "-")
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    lock = _pins((ROOT / "requirements.txt").read_text())
    env = _pins((ROOT / "environment.yml").read_text())
    missing = [d for d in direct if d not in lock or d not in env]
    assert not missing, f"direct dependencies missing a pin in requirements.txt or environment.yml: {missing}"


def test_torch_is_the_cpu_wheel_pin_and_python_is_311():
    lock = _pins((ROOT / "requirements.txt").read_text())
    assert lock["torch"] == "2.13.0", "torch must stay pinned to 2.13.0 (other versions pull a CUDA build)"
    assert "python=3.11" in (ROOT / "environment.yml").read_text()
