"""The README's pictures, made again from the demo: `make pictures` (or `.venv/bin/python scripts/readme_pictures.py`).

Loads the demo into a SQLite database of its own (the working database is not touched), serves it on a free
loopback port, and takes with Playwright and Debian's Chromium (`make chromium`):

- docs/img/dashboard.png: the Etelä-Savo dashboard at 1280 px, the whole page, its goals closed;
- docs/img/report-summary.png: the summary page (page 2, after the cover) of the yearly follow-up report PDF,
  drawn by pdftoppm (poppler-utils).

Everything shown is the demo's: real open data where the demo loads real data, and what is SYNTHETIC says so.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
REGION = "etela-savo"
WIDTH, HEIGHT = 1280, 900


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the demo server stopped (exit status {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own server on loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer {url} in {seconds:.0f} s")


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        say(f"Chromium not found at {CHROMIUM}: `make chromium` installs it.")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tilannekuva-pictures-") as work:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/demo.sqlite3", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
        tilannekuva = str(BIN / "tilannekuva")
        say("Loading the demo into a database of its own (a few minutes)...")
        subprocess.run([tilannekuva, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([tilannekuva, "demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        pdf = Path(work) / "report.pdf"
        subprocess.run(
            [tilannekuva, "report", "build", REGION, "--format", "pdf", "--output", str(pdf)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        summary = OUT / "report-summary.png"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "90",
                "-f",
                "2",
                "-l",
                "2",
                "-singlefile",
                str(pdf),
                str(summary.with_suffix("")),
            ],
            check=True,
        )
        say(f"  {summary.relative_to(ROOT)}: page 2 of the yearly follow-up report")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own command
            [tilannekuva, "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/regions/{REGION}/dashboard/"
            wait_for(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="fi-FI")
                page.goto(url)
                dashboard = OUT / "dashboard.png"
                page.screenshot(path=str(dashboard), full_page=True)
                browser.close()
            say(f"  {dashboard.relative_to(ROOT)}: the dashboard at {WIDTH} px")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
