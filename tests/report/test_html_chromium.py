"""The HTML report in a real browser: Debian ``chromium`` headless, offline, from disk.

Chromium is installed with ``apt-get`` when absent (once per session); the tests skip, saying
why, only if that install fails. A deliberately broken page checks that the console check can
see errors at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from herscape.report import render_html

pytestmark = pytest.mark.slow

#: Console lines that mean the page failed (uncaught script errors, resources not loaded).
BAD_CONSOLE = ("Uncaught", "ERROR:CONSOLE", "Failed to load resource", "net::ERR_")
_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
)


def _install_chromium() -> str | None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1500, env=env)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0:
            return None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the ``chromium`` executable, installed with apt-get if needed."""
    path = shutil.which("chromium") or _install_chromium()
    if path is None:
        pytest.skip("chromium is not installed and 'apt-get install -y chromium' failed "
                    "(needs root and the Debian archive)")
    return path


def _run(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "chromium-profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([chromium, *_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, cwd=tmp)


def _console_errors(stderr: str, page: Path) -> list[str]:
    return [line for line in stderr.splitlines()
            if any(bad in line for bad in BAD_CONSOLE) and ("CONSOLE" in line or page.name in line
                                                             or "net::" in line)]


@pytest.fixture
def page(pred, tmp_path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_html(pred), encoding="utf-8")
    return path


def test_screenshot(chromium, page, tmp_path):
    from PIL import Image

    png = tmp_path / "report.png"
    done = _run(chromium, tmp_path, f"--screenshot={png}", "--window-size=1280,2000",
                page.as_uri())
    assert png.exists(), done.stderr[-2000:]
    assert png.stat().st_size > 20_000
    with Image.open(png) as im:
        assert im.size == (1280, 2000)
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 200  # text, tables and the diagram, not a blank page
        # the resistant verdict banner is drawn near the top
        banner = {c for _, c in rgb.crop((0, 0, 1280, 500)).getcolors(1 << 20)}
        assert (0xB3, 0x26, 0x1E) in banner


def test_dom_and_console(chromium, page, tmp_path):
    done = _run(chromium, tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom",
                page.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    for marker in ('id="verdict"', 'class="verdict verdict-resistant"', 'id="evidence"',
                   'id="mechanisms"', 'id="network"', 'id="model"', 'id="strategies"',
                   'id="references"', 'class="network"', "active-path", 'id="node-BRAF_V600E"',
                   'class="chart readouts"', 'class="chart si"',
                   'href="https://doi.org/10.1056/NEJMoa1908075"'):
        assert marker in dom, marker
    assert _console_errors(done.stderr, page) == []


def test_console_check_sees_errors(chromium, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script>"
                      "</body></html>", encoding="utf-8")
    done = _run(chromium, tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom",
                broken.as_uri())
    assert any("Uncaught" in line for line in _console_errors(done.stderr, broken))
