"""A synthetic plan cascade as large as a national roll-out, for load tests of the explorer.

Shape (the real one, scaled): one Prime Minister's decision approving a
scheme; 63 province plans, ~700 district plans and ~10,000 commune plans, each
based on ("Căn cứ") the plan above it and carrying out the scheme; duties with
lead and partner agencies and deadlines, targets, citations, every fact with
its evidence span in a generated source text.  The output is a build folder
(graph.trig, sources/, build.json) that `kg serve --build` reads like the real
one: the same IRIs (minted by kg.iri), classes, properties and named graphs,
the inferred implementation links included.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from kg import iri
from kg.graph import direct_implementation, ontology_graph
from kg.namespaces import NAMESPACES

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái")
SYLLABLES = ("An", "Bình", "Phú", "Tân", "Long", "Hòa", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Vĩnh", "Châu",
             "Thành", "Lộc", "Xuân", "Hưng", "Phước", "Mỹ", "Quang", "Trung", "Hiệp", "Lợi", "Định", "Sơn",
             "Thuận", "Khánh", "Nghĩa", "Hải", "Cường")
DECISION_NO = "01/QĐ-TTg"
SCHEME = "Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030"
XSD = "http://www.w3.org/2001/XMLSchema#"
_NS = {p: str(ns) for p, ns in NAMESPACES.items()}


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(s: str, lang: str | None = "vi", dt: str | None = None) -> str:
    if dt:
        return f'"{_esc(s)}"^^<{XSD}{dt}>'
    return f'"{_esc(s)}"@{lang}' if lang else f'"{_esc(s)}"'


def u(node) -> str:
    return f"<{node}>"


def t(prefixed: str) -> str:
    p, _, local = prefixed.partition(":")
    return f"<{_NS[p]}{local}>"


_IMPLEMENTS = t("eli:ensures_implementation_of")


class Writer:
    """Accumulates the N-Triples lines of one named graph at a time and writes them as TriG."""

    def __init__(self, out):
        self.out = out
        self.lines: list[str] = []
        self.nodes: set[str] = set()
        self.parents: dict[str, set[str]] = {}  # document -> what it implements, as the build collects them

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")
        if p == _IMPLEMENTS:
            self.parents.setdefault(s, set()).add(o)
        self.nodes.add(s)
        if o.startswith("<"):
            self.nodes.add(o)

    def flush(self, graph: str) -> None:
        self.out.write(f"<{graph}> {{\n")
        self.out.writelines(self.lines)
        self.out.write("}\n")
        self.lines = []


class Generator:
    def __init__(self, out_dir: Path, communes_per_district: int = 14, districts_per_province: int = 11,
                 seed: int = 7):
        self.out = Path(out_dir)
        self.rng = random.Random(seed)
        self.cpd, self.dpp = communes_per_district, districts_per_province
        self.agencies_done: set[str] = set()
        self.inferred: list[tuple[str, str]] = []
        self.counts = {"documents": 0, "duties": 0, "targets": 0, "citations": 0, "agencies": 0}

    # -- building blocks ----------------------------------------------------------
    def agency(self, w: Writer, label: str, kind: str, level: str, unit: tuple[str, str] | None) -> str:
        node = u(iri.agency(label))
        if label in self.agencies_done:
            return node
        self.agencies_done.add(label)
        self.counts["agencies"] += 1
        w.add(node, t("rdf:type"), t("vnd:Agency"))
        w.add(node, t("skos:prefLabel"), lit(label))
        w.add(node, t("rdfs:label"), lit(label))
        w.add(node, t("org:classification"), u(iri.agency_kind(kind)))
        w.add(node, t("vnd:level"), t(f"vnd:{level}Level"))
        if unit:
            un = u(iri.admin_unit(*unit))
            w.add(node, t("vnd:jurisdiction"), un)
            w.add(un, t("rdf:type"), t("vnd:AdminUnit"))
            w.add(un, t("rdfs:label"), lit(f"{unit[0]} {unit[1]}"))
        return node

    def evidence(self, w: Writer, source: str, text: str, quote: str) -> str:
        start = text.index(quote)
        node = iri.fact("evidence", source, start, start + len(quote))
        n, src = u(node), u(iri.source(source))
        w.add(n, t("rdf:type"), t("oa:SpecificResource"))
        w.add(n, t("oa:hasSource"), src)
        for suffix, cls in (("position", "TextPositionSelector"), ("quote", "TextQuoteSelector")):
            sel = f"<{node}-{suffix}>"
            w.add(n, t("oa:hasSelector"), sel)
            w.add(sel, t("rdf:type"), t(f"oa:{cls}"))
        w.add(f"<{node}-position>", t("oa:start"), lit(str(start), dt="nonNegativeInteger"))
        w.add(f"<{node}-position>", t("oa:end"), lit(str(start + len(quote)), dt="nonNegativeInteger"))
        w.add(f"<{node}-quote>", t("oa:exact"), lit(quote, None))
        return n

    def document(self, w: Writer, doc: str, source: str, number: str, type_name: str, date: str, title: str,
                 issuer: str, signer: str) -> None:
        self.counts["documents"] += 1
        src = u(iri.source(source))
        w.add(src, t("rdf:type"), t("vnd:SourceFile"))
        w.add(src, t("dct:identifier"), lit(source, None))
        w.add(doc, t("vnd:describedIn"), src)
        w.add(doc, t("rdf:type"), t("vnd:AdministrativeDocument"))
        w.add(doc, t("prov:wasDerivedFrom"), src)
        w.add(doc, t("eli:type_document"), u(iri.document_type(type_name)))
        w.add(doc, t("eli:id_local"), lit(number, None))
        w.add(doc, t("vnd:normalizedNumber"), lit(iri.normalize_number(number), None))
        w.add(doc, t("eli:date_document"), lit(date, dt="date"))
        w.add(doc, t("eli:title"), lit(title))
        w.add(doc, t("rdfs:label"), lit(f"{type_name} {number}"))
        w.add(doc, t("eli:passed_by"), issuer)
        person = u(iri.person(signer))
        w.add(doc, t("vnd:signedBy"), person)
        w.add(person, t("rdf:type"), t("foaf:Person"))
        w.add(person, t("foaf:name"), lit(signer, None))

    def citation(self, w: Writer, source: str, text: str, citing: str, cited: str, quote: str) -> None:
        self.counts["citations"] += 1
        w.add(citing, t("eli:based_on"), cited)
        c = u(iri.fact("citation", source, citing, cited, "based_on"))
        w.add(c, t("rdf:type"), t("vnd:Citation"))
        w.add(c, t("cito:hasCitingEntity"), citing)
        w.add(c, t("cito:hasCitedEntity"), cited)
        w.add(c, t("vnd:relation"), t("vnd:BasedOn"))
        w.add(c, t("prov:wasDerivedFrom"), u(iri.source(source)))
        w.add(c, t("vnd:evidence"), self.evidence(w, source, text, quote))

    def duty(self, w: Writer, source: str, text: str, doc: str, issuer: str, sentence: str, lead: str,
             partners: list[str], deadline: str | None) -> None:
        self.counts["duties"] += 1
        d = u(iri.fact("duty", source, doc, sentence))
        w.add(doc, t("vnd:assignsDuty"), d)
        w.add(d, t("rdf:type"), t("vnd:Duty"))
        w.add(d, t("vnd:leadAgency"), lead)
        for p in partners:
            w.add(d, t("vnd:partnerAgency"), p)
        w.add(d, t("vnd:modality"), t("vnd:Assign"))
        if deadline:
            w.add(d, t("vnd:deadline"), lit(deadline, dt="date"))
        w.add(d, t("vnd:taskDescription"), lit(sentence))
        w.add(d, t("odrl:assigner"), issuer)
        w.add(d, t("prov:wasDerivedFrom"), u(iri.source(source)))
        w.add(d, t("vnd:evidence"), self.evidence(w, source, text, sentence))

    def target(self, w: Writer, source: str, text: str, doc: str, sentence: str, value: int, unit: str,
               year: int) -> None:
        self.counts["targets"] += 1
        n = u(iri.fact("target", source, doc, sentence, value))
        w.add(doc, t("vnd:setsTarget"), n)
        w.add(n, t("rdf:type"), t("vnd:Target"))
        w.add(n, t("schema:minValue"), lit(str(value), dt="decimal"))
        w.add(n, t("schema:unitText"), lit(unit))
        w.add(n, t("vnd:targetYear"), lit(str(year), dt="gYear"))
        w.add(n, t("vnd:indicator"), lit(sentence))
        w.add(n, t("prov:wasDerivedFrom"), u(iri.source(source)))
        w.add(n, t("vnd:evidence"), self.evidence(w, source, text, sentence))

    # -- documents of the cascade -----------------------------------------------------
    def write_plan(self, out, w: Writer, source: str, doc: str, number: str, date: str, unit: tuple[str, str],
                   level: str, issuer_label: str, parent: tuple[str, str, str] | None,
                   duties: list[tuple[str, str, list[str], str | None]], targets: list[tuple[str, int, str, int]],
                   signer: str, type_name: str = "Kế hoạch") -> None:
        """One document: its source text, its named graph, its facts with evidence (duties: lead, verb, partners)."""
        y, m, d = date.split("-")
        place = unit[1]
        lines = [issuer_label.upper(), f"Số: {number}", f"{place}, ngày {d} tháng {m} năm {y}", "",
                 type_name.upper(), f"Thực hiện Đề án “{SCHEME}” trên địa bàn {unit[0]} {unit[1]}", ""]
        quote = None
        if parent:
            quote = f"{parent[1]} ngày {parent[2]}"
            lines += [f"Căn cứ {quote} về thực hiện Đề án “{SCHEME}”;", ""]
        lines += ["I. MỤC TIÊU"] + [s for s, *_ in targets] + ["", "II. NHIỆM VỤ VÀ GIẢI PHÁP"]
        sentences = []
        for i, (lead_label, verb, partner_labels, deadline) in enumerate(duties, 1):
            s = f"Giao {lead_label} chủ trì"
            if partner_labels:
                s += ", phối hợp với " + ", ".join(partner_labels)
            s += f" {verb}"
            if deadline:
                dy, dm, dd = deadline.split("-")
                s += f", hoàn thành trước ngày {int(dd)}/{int(dm)}/{dy}"
            sentences.append(s + ".")
            lines.append(f"{i}. {s}.")
        lines += ["", "III. TỔ CHỨC THỰC HIỆN",
                  "Các cơ quan, đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện, báo cáo kết quả định kỳ.",
                  "", "TM. " + issuer_label.split(" tỉnh ")[0].split(" huyện ")[0].split(" xã ")[0].upper(),
                  "CHỦ TỊCH", signer, ""]
        text = "\n".join(lines)
        (self.out / "sources" / source).write_text(text, encoding="utf-8")
        issuer = self.agency(w, issuer_label, "peoples-committee", level, unit)
        self.document(w, doc, source, number, type_name, date,
                      f"{type_name} thực hiện Đề án “{SCHEME}” trên địa bàn {unit[0]} {unit[1]}", issuer, signer)
        if parent and quote:  # quote is set with parent
            self.citation(w, source, text, doc, parent[0], quote)
        for (lead_label, _, partner_labels, deadline), s in zip(duties, sentences):
            lead = self.agency(w, lead_label, *self._kind(lead_label, level, unit))
            partners = [self.agency(w, p, *self._kind(p, level, unit)) for p in partner_labels]
            self.duty(w, source, text, doc, issuer, s, lead, partners, deadline)
        for s, value, unit_text, year in targets:
            self.target(w, source, text, doc, s, value, unit_text, year)
        w.flush(str(iri.source_graph(source)))

    @staticmethod
    def _kind(label: str, level: str, unit: tuple[str, str]) -> tuple[str, str, tuple[str, str] | None]:
        """(agency kind, level, jurisdiction) of a generated agency name."""
        if label.endswith("Việt Nam") or label.startswith("Ngân hàng Chính sách") or label.startswith("Bộ "):
            kind = "bank" if "Ngân hàng" in label else "ministry" if label.startswith("Bộ ") else "mass-organisation"
            return kind, "Central", None
        for prefix, kind in (("Sở", "department"), ("Phòng", "division"), ("Hội", "mass-organisation"),
                             ("Liên minh", "cooperative-alliance"), ("Ủy ban", "peoples-committee"),
                             ("Chi nhánh", "bank")):
            if label.startswith(prefix):
                return kind, level, unit
        return "other", level, unit

    def names(self, count: int, taken: set[str]) -> list[str]:
        out: list[str] = []
        while len(out) < count:
            a, b = self.rng.sample(SYLLABLES, 2)
            if f"{a} {b}" not in taken:
                taken.add(f"{a} {b}")
                out.append(f"{a} {b}")
        return out

    def date(self, year: int, after: str | None = None) -> str:
        lo = 1 if after is None else int(after[5:7])
        m = min(12, lo + self.rng.randint(0, 2))
        return f"{year}-{m:02d}-{self.rng.randint(1, 28):02d}"

    def run(self, provinces: int = 63) -> dict:
        (self.out / "sources").mkdir(parents=True, exist_ok=True)
        path = self.out / "graph.trig"
        with open(path, "w", encoding="utf-8") as out:
            w = Writer(out)
            decision = u(iri.document(DECISION_NO, None, 2023))
            dec_date = "2023-01-03"
            self.write_plan(out, w, "qd-01-ttg-2023.txt", decision, DECISION_NO, dec_date, ("nước", "Việt Nam"),
                            "Central", "Thủ tướng Chính phủ", None, [
                                ("Bộ Kế hoạch và Đầu tư", "hướng dẫn, theo dõi việc thực hiện Đề án",
                                 ["Bộ Tài chính", "Liên minh Hợp tác xã Việt Nam"], "2023-12-31"),
                                ("Liên minh Hợp tác xã Việt Nam", "tổ chức triển khai Đề án trên phạm vi cả nước",
                                 ["Trung ương Hội Liên hiệp Phụ nữ Việt Nam"], None),
                                ("Bộ Tài chính", "bố trí kinh phí thực hiện Đề án", [], None),
                            ], [("Đến năm 2030, hỗ trợ thành lập mới 5.000 hợp tác xã do phụ nữ tham gia quản lý.",
                                 5000, "hợp tác xã", 2030)], "Trần Lưu Quang", type_name="Quyết định")
            scheme = u(iri.scheme(SCHEME))
            w.add(decision, t("vnd:approves"), scheme)
            for p, o in ((t("rdf:type"), t("vnd:Scheme")), (t("eli:type_document"), u(iri.document_type("Đề án"))),
                         (t("eli:title"), lit(SCHEME)), (t("rdfs:label"), lit(f"Đề án “{SCHEME}”")),
                         (t("prov:wasDerivedFrom"), u(iri.source("qd-01-ttg-2023.txt")))):
                w.add(scheme, p, o)
            w.flush(str(iri.source_graph("qd-01-ttg-2023.txt")))
            taken: set[str] = set()
            for pi, province in enumerate(PROVINCES[:provinces]):
                self.province(out, w, pi, province, decision, dec_date, scheme, taken)
            for a, b in self.inferred:
                w.add(a, t("eli:ensures_implementation_of"), b)
            w.flush(str(iri.INFERRED_GRAPH))
            for a, b in direct_implementation(w.parents):  # the build's shortcut to the most specific parents
                w.add(a, t("vnd:implementsDirectly"), b)
            w.flush(str(iri.STATISTICS_GRAPH))
            out.write(f"<{iri.ONTOLOGY_GRAPH}> {{\n")
            out.write(ontology_graph().serialize(format="nt"))
            out.write("}\n")
        self.counts["nodes"] = len(w.nodes)
        (self.out / "build.json").write_text(json.dumps({"synthetic": True, "counts": self.counts}, indent=2))
        return self.counts

    def province(self, out, w: Writer, pi: int, province: str, decision: str, dec_date: str, scheme: str,
                 taken: set[str]) -> None:
        unit = ("tỉnh", province)
        ubnd = f"Ủy ban nhân dân tỉnh {province}"
        number, date = f"{100 + pi}/KH-UBND", self.date(2023)
        doc = u(iri.document(number, f"tỉnh {province}", 2023))
        src = f"kh-{100 + pi}-tinh-{pi:02d}.txt"
        p = lambda name: f"{name} tỉnh {province}"  # noqa: E731
        self.write_plan(out, w, src, doc, number, date, unit, "Province", ubnd,
                        (decision, f"Quyết định số {DECISION_NO}", "3/1/2023 của Thủ tướng Chính phủ"), [
                            (p("Sở Kế hoạch và Đầu tư"), "tham mưu bố trí nguồn vốn thực hiện Kế hoạch",
                             [p("Sở Tài chính")], "2024-06-30"),
                            (p("Hội Liên hiệp Phụ nữ"), "tuyên truyền, vận động phụ nữ tham gia hợp tác xã",
                             [p("Liên minh Hợp tác xã"), p("Sở Lao động - Thương binh và Xã hội"),
                              "Trung ương Hội Liên hiệp Phụ nữ Việt Nam"], None),
                            (p("Liên minh Hợp tác xã"), "tư vấn, hỗ trợ thành lập mới hợp tác xã do phụ nữ quản lý",
                             [p("Hội Liên hiệp Phụ nữ"), "Liên minh Hợp tác xã Việt Nam"], "2025-12-15"),
                            (p("Sở Lao động - Thương binh và Xã hội"), "tổ chức đào tạo nghề cho lao động nữ",
                             [], None),
                            (f"Ủy ban nhân dân cấp huyện tỉnh {province}", "xây dựng kế hoạch thực hiện trên địa bàn",
                             [p("Hội Liên hiệp Phụ nữ")], "2024-03-31"),
                        ], [(f"Đến năm 2025, thành lập mới ít nhất {20 + pi % 40} hợp tác xã do phụ nữ quản lý "
                             f"trên địa bàn tỉnh {province}.", 20 + pi % 40, "hợp tác xã", 2025)],
                        f"Nguyễn Văn {SYLLABLES[pi % len(SYLLABLES)]}")
        w.add(doc, t("eli:ensures_implementation_of"), scheme)
        w.flush(str(iri.source_graph(src)))
        self.inferred.append((doc, decision))
        for di, district in enumerate(self.names(self.dpp, taken)):
            self.district(out, w, pi, di, province, district, (doc, number, date, ubnd), decision, scheme)

    def district(self, out, w: Writer, pi: int, di: int, province: str, district: str, parent: tuple,
                 decision: str, scheme: str) -> None:
        pdoc, pnumber, pdate, pissuer = parent
        unit = ("huyện", district)
        ubnd = f"Ủy ban nhân dân huyện {district}"
        number, date = f"{50 + di}/KH-UBND", self.date(2023, pdate)
        doc = u(iri.document(number, f"huyện {district}", 2023))
        src = f"kh-{50 + di}-huyen-{pi:02d}-{di:02d}.txt"
        h = lambda name: f"{name} huyện {district}"  # noqa: E731
        y, m, d = pdate.split("-")
        self.write_plan(out, w, src, doc, number, date, unit, "District", ubnd,
                        (pdoc, f"Kế hoạch số {pnumber}", f"{int(d)}/{int(m)}/{y} của {pissuer}"), [
                            (h("Phòng Tài chính - Kế hoạch"), "tham mưu bố trí kinh phí thực hiện",
                             [h("Phòng Lao động - Thương binh và Xã hội")], "2024-09-30"),
                            (h("Hội Liên hiệp Phụ nữ"), "vận động thành lập tổ hợp tác, hợp tác xã của phụ nữ",
                             [f"Hội Liên hiệp Phụ nữ tỉnh {province}"], None),
                            (h("Phòng Nông nghiệp và Phát triển nông thôn"), "hỗ trợ hợp tác xã nông nghiệp",
                             [h("Hội Liên hiệp Phụ nữ")], None),
                            (f"Ủy ban nhân dân các xã huyện {district}", "xây dựng kế hoạch thực hiện tại xã",
                             [], "2024-06-30"),
                        ], [(f"Đến năm 2025, thành lập mới ít nhất {2 + di % 5} hợp tác xã do phụ nữ quản lý "
                             f"trên địa bàn huyện {district}.", 2 + di % 5, "hợp tác xã", 2025)],
                        f"Lê Thị {SYLLABLES[(pi + di) % len(SYLLABLES)]}")
        w.add(doc, t("eli:ensures_implementation_of"), scheme)
        w.flush(str(iri.source_graph(src)))
        self.inferred += [(doc, pdoc), (doc, decision)]
        for ci, commune in enumerate(self.names(self.cpd, set())):
            self.commune(out, w, pi, di, ci, district, commune, (doc, number, date, ubnd), pdoc, decision, scheme)

    def commune(self, out, w: Writer, pi: int, di: int, ci: int, district: str, commune: str, parent: tuple,
                province_doc: str, decision: str, scheme: str) -> None:
        pdoc, pnumber, pdate, pissuer = parent
        unit = ("xã", f"{commune} huyện {district}")
        number, date = f"{10 + ci}/KH-UBND", self.date(2024)
        doc = u(iri.document(number, f"xã {commune} huyện {district}", 2024))
        src = f"kh-{10 + ci}-xa-{pi:02d}-{di:02d}-{ci:02d}.txt"
        x = lambda name: f"{name} xã {commune} huyện {district}"  # noqa: E731
        y, m, d = pdate.split("-")
        self.write_plan(out, w, src, doc, number, date, unit, "Commune", x("Ủy ban nhân dân"),
                        (pdoc, f"Kế hoạch số {pnumber}", f"{int(d)}/{int(m)}/{y} của {pissuer}"), [
                            (x("Hội Liên hiệp Phụ nữ"), "giới thiệu phụ nữ vay vốn thành lập tổ hợp tác",
                             ["Ngân hàng Chính sách xã hội Việt Nam"], "2024-12-31"),
                            (x("Hội Nông dân"), "vận động hộ sản xuất tham gia hợp tác xã",
                             [x("Hội Liên hiệp Phụ nữ")], None),
                        ], [(f"Đến năm 2025, hỗ trợ ít nhất {5 + ci} lao động nữ có việc làm ổn định.",
                             5 + ci, "lao động nữ", 2025)],
                        f"Phạm Văn {SYLLABLES[(di + ci) % len(SYLLABLES)]}")
        w.add(doc, t("eli:ensures_implementation_of"), scheme)
        w.flush(str(iri.source_graph(src)))
        self.inferred += [(doc, pdoc), (doc, province_doc), (doc, decision)]


def generate(out_dir: Path, provinces: int = 63, districts_per_province: int = 11,
             communes_per_district: int = 14, seed: int = 7) -> dict:
    """Write a synthetic build folder; returns the counts (documents, duties, ..., nodes)."""
    return Generator(Path(out_dir), communes_per_district, districts_per_province, seed).run(provinces)
