"""Start `kg serve` in a child process on a free port and stop it (for tests and benchmarks)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from kg.web.serve import free_port


@contextlib.contextmanager
def running_server(build_dir: Path, *extra: str, ready_timeout: float = 180.0) -> Iterator[str]:
    """The base URL ("http://127.0.0.1:PORT") of a `kg serve` over `build_dir`, stopped on exit."""
    port = free_port()
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--build", str(build_dir), "--port", str(port), *extra]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # a pipe nobody reads could fill and block the server
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"kg serve exited with {proc.returncode}: {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/static/style.css", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kg serve did not answer in time")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str | None:
    """Debian's Chromium (never a downloaded browser)."""
    import os
    import shutil

    for candidate in (os.environ.get("KG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def launch_chromium(playwright, profile_dir: Path):
    """A Playwright browser context on Debian's Chromium with a fresh profile folder."""
    return playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900}, locale="vi-VN")


def measure(page, url: str, network: bool = False) -> dict:
    """Open `url`; the browser's own navigation timing in ms (and when the network was drawn, for a network view)."""
    page.goto(url)
    if network:
        page.wait_for_function("document.body.getAttribute('data-network-ready') === '1'", timeout=30_000)
    nav = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                        " return {ttfb: n.responseStart, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
                        " ready: window.kgReadyAt || 0}; })()")
    nav["total"] = max(nav["load"], nav["ready"])
    return nav


def make_hostile_build(seed_build: Path, dest: Path, hostile: str) -> Path:
    """A copy of a build plus one document (666/KH-XSS) whose label, title, agency, duty and source hold `hostile`."""
    import shutil

    ident, ont = "https://w3id.org/vn-directives/id/", "https://w3id.org/vn-directives/ontology#"

    def lit(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    source = f"KẾ HOẠCH\nGiao Sở Thử nghiệm chủ trì {hostile} trước ngày 1/1/2025.\n"
    sentence = source.splitlines()[1]
    start = source.index(sentence)
    doc, duty, agency = f"<{ident}doc/666-kh-xss-2024>", f"<{ident}duty/0bad>", f"<{ident}agency/so-thu-nghiem>"
    ev, src = f"{ident}evidence/0bad", f"<{ident}source/xss-txt>"
    rdfs, eli, oa = "http://www.w3.org/2000/01/rdf-schema#", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/oa#"
    triples = [
        (doc, "a", f"<{ont}AdministrativeDocument>"), (doc, f"<{ont}describedIn>", src),
        (doc, f"<{rdfs}label>", lit(f"Kế hoạch 666 {hostile}")), (doc, f"<{eli}title>", lit(hostile)),
        (doc, f"<{eli}id_local>", lit("666/KH-XSS")), (doc, f"<{eli}passed_by>", agency),
        (agency, "a", f"<{ont}Agency>"),
        (agency, "<http://www.w3.org/2004/02/skos/core#prefLabel>", lit(f"Sở Thử nghiệm {hostile}")),
        (doc, f"<{ont}assignsDuty>", duty), (duty, "a", f"<{ont}Duty>"), (duty, f"<{ont}leadAgency>", agency),
        (duty, f"<{ont}taskDescription>", lit(sentence)), (duty, f"<{ont}evidence>", f"<{ev}>"),
        (f"<{ev}>", f"<{oa}hasSource>", src), (f"<{ev}>", f"<{oa}hasSelector>", f"<{ev}-position>"),
        (f"<{ev}-position>", f"<{oa}start>", str(start)), (f"<{ev}-position>", f"<{oa}end>", str(start + len(sentence))),
        (src, "<http://purl.org/dc/terms/identifier>", lit("xss.txt")),
    ]
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(seed_build / "sources", dest / "sources", dirs_exist_ok=True)
    trig = (seed_build / "graph.trig").read_text(encoding="utf-8")
    trig += f"\n<{ident}graph/xss-txt> {{\n" + "".join(f"{s} {p} {o} .\n" for s, p, o in triples) + "}\n"
    (dest / "graph.trig").write_text(trig, encoding="utf-8")
    (dest / "sources" / "xss.txt").write_text(source, encoding="utf-8")
    return dest
