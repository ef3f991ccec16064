"""Is the extractor linear?  Microseconds of CPU per character on real texts and on adversarial inputs.

    .venv/bin/python benchmarks/bench_linear.py [--base CHARS] [--scales 1,2,4,8] [--real N]

Real texts: the first N files of data/raw/real/ (default 60), each extracted alone; their total CPU time over
their total length is the reference rate.  Adversarial inputs, each built at about BASE characters (default
40,000) times each scale, so that a superlinear case shows as a rate that grows with the scale:

  headings      "KẾ HOẠCH" lines, thousands of them (a quadratic reflow before issue 11)
  can_cu        "Căn cứ ..." legal-basis lines, 10,000 at scale 8 with the default base
  one_line      one line of duty sentences without a line break (a 5 MB line at --base 650000)
  nested_lists  thousands of nested list markers ("1.2.3.", "a)", "-", "+") at growing indent
  so_repeated   "Sở " repeated (100k times at --base 37500 and scale 8)
  agency_list   one long list of agencies ("Sở Tài chính, Ủy ban nhân dân tỉnh ... và ": quadratic before issue 11)
  table         a duty table of pipe rows (5,000 rows near scale 8)
  no_spaces     a Vietnamese run without spaces ("ĐểánSởTàichính..."), and one of ASCII letters
  header_soup   a document header repeated: numbers, dates, issuers, mottos

Prints one line per case and scale: characters, CPU seconds, microseconds per character and the ratio to
the real rate; then the worst case.  Timings are printed, never asserted (a busy machine moves them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import extract_text  # noqa: E402


def _fill(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


CASES = {
    "headings": lambda n: _fill("KẾ HOẠCH\n", n),
    "can_cu": lambda n: _fill("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n", n),
    "one_line": lambda n: _fill("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ thực hiện trước ngày 30/6/2025; ", n),
    "nested_lists": lambda n: "".join(f"{'  ' * (i % 40)}{'1.' * (i % 6 + 1)} a) - + Sở Y tế thực hiện\n"
                                      for i in range(max(1, n // 60))),
    "so_repeated": lambda n: _fill("Sở ", n),
    "agency_list": lambda n: _fill("Sở Tài chính, Ủy ban nhân dân tỉnh Quảng Nam và ", n),
    "table": lambda n: "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n" + "".join(
        f"| {i} | Rà soát hợp tác xã | Sở Kế hoạch và Đầu tư | Sở Tài chính | Quý {i % 4 + 1}/2025 |\n"
        for i in range(max(1, n // 90))),
    "no_spaces_vn": lambda n: _fill("ĐểánSởTàichínhchủtrì", n),
    "no_spaces_ascii": lambda n: _fill("abcdefghij", n),
    "header_soup": lambda n: _fill("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                   "Quảng Nam, ngày 15 tháng 4 năm 2024\nQUYẾT ĐỊNH:\nĐiều 1. Sở Y tế chủ trì.\n", n),
}


def cpu(text: str) -> float:
    t = time.process_time()
    extract_text(text, "bench.txt")
    return time.process_time() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=40000, help="characters of an adversarial input at scale 1")
    ap.add_argument("--scales", default="1,2,4,8")
    ap.add_argument("--real", type=int, default=60, help="real files to time")
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of the cases")
    args = ap.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]

    files = sorted((ROOT / "data" / "raw" / "real").glob("*.txt"))[: args.real]
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(map(len, texts))
    seconds = sum(cpu(t) for t in texts)
    real = seconds / chars * 1e6
    print(f"real texts      {len(texts)} files, {chars} chars, {seconds:.2f} s CPU: {real:.2f} us/char")
    worst = ("", 0, 0.0)
    for name in args.cases.split(","):
        rates = []
        for k in scales:
            text = CASES[name](args.base * k)
            s = cpu(text)
            rate = s / len(text) * 1e6
            rates.append(rate)
            print(f"{name:15} x{k:<2} {len(text):>9} chars {s:7.2f} s {rate:7.2f} us/char  {rate / real:5.1f}x real",
                  flush=True)
            if rate > worst[2]:
                worst = (name, k, rate)
        if len(rates) > 1:
            print(f"{name:15} growth x{scales[0]}->x{scales[-1]}: rate {rates[-1] / rates[0]:.2f}x "
                  f"({'linear' if rates[-1] / rates[0] < 1.5 else 'SUPERLINEAR'})")
    print(f"worst: {worst[0]} x{worst[1]} {worst[2]:.2f} us/char = {worst[2] / real:.1f}x the real rate "
          f"({real:.2f} us/char)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
