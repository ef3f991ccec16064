"""Start `kg serve` in a child process on a free port and stop it (for tests and benchmarks)."""

from __future__ import annotations

import contextlib
import re
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
def running_server(build_dir: Path | None, *extra: str, ready_timeout: float = 180.0) -> Iterator[str]:
    """The base URL ("http://127.0.0.1:PORT") of a `kg serve` over `build_dir` (None: no --build, e.g. with
    "--endpoint", URL in `extra`), stopped on exit."""
    port = free_port()
    build = ["--build", str(build_dir)] if build_dir is not None else []
    cmd = [sys.executable, "-m", "kg.cli", "serve", *build, "--port", str(port), *extra]
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


# -- a build with deadlines (the seed build has one recurring duty and no dated one) --------------------------------
DEADLINE_TODAY = "2025-02-10"
# (duty key, lead agency key, deadline or "", recurrence or "", task) — buckets as seen on DEADLINE_TODAY
DEADLINE_DUTIES = [
    ("han-qua", "so-tai-chinh-tinh-an-giang", "2025-01-15", "", "Tổng hợp, báo cáo kết quả; rà soát số liệu \\ quý IV"),
    ("han-thang", "so-tai-chinh-tinh-an-giang", "2025-02-28", "", "Xây dựng kế hoạch hỗ trợ hợp tác xã năm 2025"),
    ("han-quy", "so-cong-thuong-tinh-an-giang", "2025-03-20", "", "Tổ chức hội nghị kết nối cung cầu"),
    ("han-sau", "so-tai-chinh-tinh-an-giang", "2025-09-30", "", "Bố trí kinh phí thực hiện đề án"),
    ("han-dinh-ky", "so-tai-chinh-tinh-an-giang", "2025-12-15", "yearly", "Báo cáo kết quả thực hiện hằng năm"),
    ("han-khong", "so-tai-chinh-tinh-an-giang", "", "", "Phối hợp hướng dẫn thủ tục thành lập hợp tác xã"),
    ("han-lang-son", "so-tai-chinh-tinh-lang-son", "2025-02-20", "", "Kiểm tra việc sử dụng kinh phí hỗ trợ"),
]
DEADLINE_DOC = "doc/88-kh-ubnd-tinh-an-giang-2025"
DEADLINE_DOC_LS = "doc/89-kh-ubnd-tinh-lang-son-2025"


def make_deadline_build(seed_build: Path, dest: Path) -> Path:
    """A copy of a build plus two plans (88/KH-UBND of An Giang, 89/KH-UBND of Lạng Sơn) implementing the seed's
    scheme, whose duties fall in every deadline bucket of DEADLINE_TODAY (see DEADLINE_DUTIES)."""
    import shutil

    ident, ont = "https://w3id.org/vn-directives/id/", "https://w3id.org/vn-directives/ontology#"
    rdfs, eli, oa = "http://www.w3.org/2000/01/rdf-schema#", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/oa#"
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def lit(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    trig = (seed_build / "graph.trig").read_text(encoding="utf-8")
    scheme = re.search(r"<(" + re.escape(ident) + r"scheme/[^>]+)>", trig).group(1)  # type: ignore[union-attr]  # the seed build has schemes
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(seed_build / "sources", dest / "sources", dirs_exist_ok=True)
    for doc_key, number, place, unit, date_doc, src_name in (
            (DEADLINE_DOC, "88/KH-UBND", "An Giang", "tinh-an-giang", "2025-01-05", "han-an-giang.txt"),
            (DEADLINE_DOC_LS, "89/KH-UBND", "Lạng Sơn", "tinh-lang-son", "2025-01-06", "han-lang-son.txt")):
        mine = [d for d in DEADLINE_DUTIES if (d[0] == "han-lang-son") == (place == "Lạng Sơn")]
        blocks = {}
        for key_, agency, due, rec, task in mine:
            when = f" trước ngày {due[8:10]}/{due[5:7]}/{due[:4]}" if due else ""
            blocks[key_] = (f"{task}, giao cơ quan chủ trì thực hiện{' hằng năm' if rec else ''}{when}.\n"
                            f"(dòng thứ hai, có dấu phẩy, chấm phẩy; và gạch \\ ngược)")
        lines = ["KẾ HOẠCH", f"Thực hiện Đề án tại tỉnh {place}", *blocks.values()]
        source = "\n".join(lines) + "\n"
        doc, src = f"<{ident}{doc_key}>", f"<{ident}source/{src_name.replace('.', '-')}>"
        issuer = f"<{ident}agency/uy-ban-nhan-dan-{unit}>"
        triples = [(doc, "a", f"<{ont}AdministrativeDocument>"), (doc, f"<{ont}describedIn>", src),
                   (doc, f"<{rdfs}label>", lit(f"Kế hoạch {number}")), (doc, f"<{eli}id_local>", lit(number)),
                   (doc, f"<{eli}type_document>", "<https://w3id.org/vn-directives/vocab/document-type/ke-hoach>"),
                   (doc, f"<{eli}title>", lit(f"Kế hoạch thực hiện Đề án tại tỉnh {place}")),
                   (doc, f"<{eli}date_document>", f'"{date_doc}"^^<{xsd}date>'),
                   (doc, f"<{eli}passed_by>", issuer), (doc, f"<{eli}ensures_implementation_of>", f"<{scheme}>"),
                   (src, "<http://purl.org/dc/terms/identifier>", lit(src_name))]
        for key_, agency, due, rec, task in mine:
            duty, ev = f"<{ident}duty/{key_}>", f"{ident}evidence/{key_}"
            quote = blocks[key_]
            start = source.index(quote)
            triples += [(doc, f"<{ont}assignsDuty>", duty), (duty, "a", f"<{ont}Duty>"),
                        (duty, f"<{ont}leadAgency>", f"<{ident}agency/{agency}>"),
                        (duty, f"<{ont}taskDescription>", lit(task)), (duty, f"<{ont}evidence>", f"<{ev}>"),
                        (f"<{ev}>", f"<{oa}hasSource>", src), (f"<{ev}>", f"<{oa}hasSelector>", f"<{ev}-position>"),
                        (f"<{ev}-position>", "a", f"<{oa}TextPositionSelector>"),
                        (f"<{ev}-position>", f"<{oa}start>", str(start)),
                        (f"<{ev}-position>", f"<{oa}end>", str(start + len(quote))),
                        (f"<{ev}>", f"<{oa}hasSelector>", f"<{ev}-quote>"),
                        (f"<{ev}-quote>", "a", f"<{oa}TextQuoteSelector>"), (f"<{ev}-quote>", f"<{oa}exact>", lit(quote))]
            if due:
                triples.append((duty, f"<{ont}deadline>", f'"{due}"^^<{xsd}date>'))
            if rec:
                triples.append((duty, f"<{ont}recurrence>", lit(rec)))
        trig += f"\n<{ident}graph/{src_name.replace('.', '-')}> {{\n" + "".join(f"{s} {p} {o} .\n" for s, p, o in triples) + "}\n"
        (dest / "sources" / src_name).write_text(source, encoding="utf-8")
    (dest / "graph.trig").write_text(trig, encoding="utf-8")
    return dest
