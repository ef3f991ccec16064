"""Duties: which agency must do what ("chủ trì": lead, "phối hợp": partner), by when."""

from __future__ import annotations

import re

from kg.extract.agencies import Jurisdiction, Mention, find_all, match_at, parse_list
from kg.extract.dates import deadline, when_deadline
from kg.extract.scan import match_from
from kg.extract.segment import Para, is_top_heading, search_text, sentences
from kg.records import Duty, Span

_LEVEL_RES = [(0, re.compile(r"^\s*(?:[IVXL]+\.|Điều\s+\d+\.?)\s+")),
              (2, re.compile(r"^\s*\d{1,2}\.\d{1,2}\.?\s+")),
              (1, re.compile(r"^\s*\d{1,2}[.)]\s+")),
              (3, re.compile(r"^\s*[a-zđ]\)\s+")),
              (4, re.compile(r"^\s*[-–•*]\s*")),
              (5, re.compile(r"^\s*\+\s*"))]
_LEAD_IN = re.compile(r"^\s*(?:Theo đó|Bên cạnh đó|Đồng thời|Ngoài ra|Cụ thể|Trong đó|Mặt khác|Đối với|Riêng)\s*,?\s*", re.I)
# "... gồm các thành viên sau đây:": the items below list members, not duties
_MEMBERS = re.compile(r"\b(?:gồm|bao gồm)\s+(?:các\s+)?(?:thành viên|thành phần|ông|bà|đồng chí)\b[^.;]*:\s*$"
                      r"|\b(?:[Tt]hành viên|[Tt]hành phần)(?:\s+\w+){0,3}\s+gồm\s*(?:có\s*)?:\s*$"
                      r"|^\s*(?:\d+\.\s*)?(?:Trưởng ban|Phó Trưởng ban|Các ủy viên|Ủy viên|Thành viên)(?:[^:.;]{0,60})?:\s*$")
# an opening clause before the subject: "Trên cơ sở ...,", "Theo Quyết định,", "Để thực hiện ...,"
_CLAUSE_LEAD = re.compile(r"\s*(?:Trên cơ sở|Căn cứ|Theo|Để|Nhằm|Sau khi|Ngay sau khi|Trong (?:thời gian|quá trình))"
                          r"\b[^,;:]{0,150},\s*")
_ORDER = re.compile(r"(?<!bàn )(?<!chuyển )\b(giao)\s+(?:nhiệm vụ\s+)?cho\s+"
                    r"|\b(giao|yêu cầu|đề nghị|chỉ đạo)\s+(?!(?:của|cho|đối với|tại|với)\b)", re.I)
_PARTNER = re.compile(r"\bphối hợp(?:\s+chặt chẽ)?(?:\s*,\s*hỗ trợ)?(?:\s+với)?\s+", re.I)
# what cannot follow a subject that carries a duty ("UBND tỉnh ban hành ...", "Sở Y tế, Sở Tài chính)")
_NOT_DUTY_VERB = re.compile(r"^\s*(?:\(|\)|vừa|đã|ban hành|được|là(?!\s+(?:cơ quan|đơn vị)\s+(?:thường trực|chủ trì|đầu mối))|của|tại|về|và|trong|thuộc|theo(?!\s+(?:dõi|chức năng|thẩm quyền|phạm vi|lĩnh vực|nhiệm vụ))|đối với|"
                            r"năm|nhằm|cùng cấp|có ý kiến|quyết định|yêu cầu|đề nghị|giao|ban hành|tổ chức hội nghị|dự|báo cáo tại|phát biểu|làm|\d)", re.I)
_DESCRIBES_OTHER = re.compile(r"^\s*(?:Tại\s+)?(?:Công văn|Quyết định|Nghị quyết|Thông tư|Kế hoạch|Chỉ thị|"
                              r"Nghị định|Thông báo)\b(?:\s+số|\s+của)", re.I)
_REQUEST_KINDS = {"front", "party", "mass"}
# "Sở Y tế có nhiệm vụ" / "Kho bạc Nhà nước chịu trách nhiệm như sau:": an agency heading of the items below
_DUTY_HEADING = re.compile(r"^\s*(?:có|chịu)\s+(?:các\s+)?(?:nhiệm vụ|trách nhiệm)(?:\s+(?:sau(?:\s+đây)?|như sau))?\s*[:.]?\s*$", re.I)
# the title of an appendix or attached text: what follows a recipients list is read again
_APPENDIX = re.compile(r"^\s*(?:PHỤ LỤC|Phụ lục|KẾ HOẠCH|CHƯƠNG TRÌNH|QUY ĐỊNH|QUY CHẾ|ĐỀ ÁN)\b")
# "Trách nhiệm của Sở Tài chính", "Nhiệm vụ của ...": the heading of an agency's items
_RESPONSIBILITY_OF = re.compile(r"(?:Trách nhiệm|Nhiệm vụ|Nhiệm vụ, quyền hạn|Trách nhiệm và quyền hạn|"
                                r"Quyền hạn và trách nhiệm)\s+của\s+", re.I)
# what the issuer's side does when it orders, asks or informs: not a duty of its own
_ORDERING = re.compile(r"^\s*(?:đã\s+|vừa\s+)?(?:chỉ đạo|yêu cầu|giao|đề nghị|quyết định|ban hành|thông báo|"
                       r"trân trọng|kính (?:đề nghị|báo cáo|gửi|trình)|xin (?:báo cáo|đề nghị|gửi)|báo cáo|gửi|trả lời|nhận được|"
                       r"giải đáp|(?:cơ bản\s+)?thống nhất|nhất trí|đồng ý|quyết nghị)\b", re.I)
# a superior asked to consider and decide is not assigned a duty: "đề nghị Thủ tướng Chính phủ xem xét, quyết định"
_CONSIDER = re.compile(r"^\s*(?:xem xét|cho ý kiến|chấp thuận|phê duyệt)(?:\s*,\s*(?:quyết định|cho ý kiến|chỉ đạo))?"
                       r"\s*(?:[.;,]|$)", re.I)
_HEAD_POST = re.compile(r"^\s*(?:Chủ tịch|Phó Chủ tịch|Thủ tướng|Phó Thủ tướng)\b")


# field lines under a task: "Đơn vị chủ trì thực hiện: ...", "Cơ quan phối hợp: ...", "Thời gian thực hiện: ..."
_FIELD = re.compile(
    r"(?:(?P<lead>(?:Cơ quan|Đơn vị|Bộ phận)(?:\s*,\s*\w+)?\s+(?:(?:chủ trì|phụ trách|đầu mối)[\w ,]{0,30}?|thực hiện))"
    r"|(?P<partner>(?:Cơ quan|Đơn vị|Bộ phận)\s+phối hợp[\w ,]{0,20}?)"
    r"|(?P<when>Thời (?:gian|hạn)(?:\s+(?:hoàn thành|thực hiện(?:\s+nhiệm vụ)?|ban hành|triển khai))?"
    r"|Tiến độ(?:\s+thực hiện)?))\s*:\s*", re.I)
# a sentence that only gives the time of the duty before it: "Thời gian hoàn thành trước ngày 30/12/2025."
_TIME_SENTENCE = re.compile(r"^\s*(?:Thời gian|Thời hạn|Tiến độ|Hoàn thành|Hạn hoàn thành)\b", re.I)


def marker_level(text: str) -> tuple[int, int]:
    """(level, length of the marker) of a paragraph; level 9 when unmarked."""
    for level, rx in _LEVEL_RES:
        m = rx.match(text)
        if m:
            return level, m.end()
    return 9, 0


def _modality(verb: str | None, m: Mention, issuer_central: bool, issuer_kind: str) -> str:
    if verb and verb.lower() == "đề nghị":
        if m.kind in _REQUEST_KINDS or issuer_kind != "state":
            return "request"
        if issuer_central and any("Ủy ban nhân dân" in n for n in m.names):
            return "request"
        if not issuer_central and m.central:
            return "request"
    return "assign"


class DutyReader:
    """Reads duties from paragraphs, keeping the heading agency of each item."""

    def __init__(self, orig: str, j: Jurisdiction, year: int | None, issuer_central: bool,
                 issuer_kind: str = "state", issuer: str | None = None) -> None:
        self.orig, self.j, self.year, self.issuer = orig, j, year, issuer
        self.issuer_central, self.issuer_kind = issuer_central, issuer_kind
        self.doc_date: str | None = None  # the document's date: a day and month already past are next year's
        self.context: dict[int, tuple[list[Mention], str | None]] = {}
        self.members: int | None = None  # level of a "gồm các thành viên:" list being read
        # the task the field lines below it belong to: its duties, text and start in the original
        self.task: tuple[list[Duty], str, int] = ([], "", 0)
        self.task_time: tuple[str | None, str | None] = (None, None)  # a time field read before the agencies
        self.in_fields = False
        self.recipients = False  # inside a "Nơi nhận" list

    def reset(self) -> None:
        """Forget the heading agencies (a new section starts)."""
        self.context = {}
        self.members = None
        self.task = ([], "", 0)
        self.task_time = (None, None)
        self.in_fields = False
        self.recipients = False

    def _fields(self, para: Para, text: str, start: int) -> list[Duty] | None:
        """Duties of a paragraph of field lines ("Đơn vị chủ trì: ...; Thời gian thực hiện: ..."), or None.

        The fields belong to the task paragraph above them: their duties quote it, and a
        time field gives its deadline to every duty of the task that has none.
        """
        first = _FIELD.match(text, start)
        if first is None:
            return None
        labels = [first]
        for m in _FIELD.finditer(text, first.end()):
            if re.search(r"[.;]\s*(?:[-+•]\s*)?$", text[labels[-1].end():m.start()]):
                labels.append(m)
        if not self.in_fields:
            self.task_time = (None, None)
        self.in_fields = True
        duties, task_text, task_start = self.task
        out: list[Duty] = []
        for n, m in enumerate(labels):
            value = text[m.end():labels[n + 1].start() if n + 1 < len(labels) else len(text)]
            if m.group("when"):
                dl, rec = when_deadline(value, self.year)
                if dl or rec:
                    self.task_time = (dl, rec)
                    for d in duties:
                        if d.deadline is None and d.recurring is None:
                            d.deadline, d.recurring = dl, rec
                continue
            role = "lead" if m.group("lead") else "partner"
            a = para.pos[0] if para.pos else 0
            span_start = min(task_start, a) if task_text else a
            end = para.pos[-1] + 1 if para.pos else a
            span = Span(span_start, end, self.orig[span_start:end])
            names = {d.agency for d in duties if d.role == role}
            for mention in find_all(value, self.j):
                for name in mention.names:
                    if name in names:
                        continue
                    names.add(name)
                    d = Duty(agency=name, role=role, deadline=self.task_time[0], recurring=self.task_time[1],
                             text=(task_text or value).strip(), span=span)
                    out.append(d)
                    duties.append(d)
        return out

    def _task(self, para: Para, text: str, duties: list[Duty]) -> None:
        """Remember a paragraph as the task that field lines below it would complete."""
        self.in_fields = False
        self.task = (list(duties), text.strip(), para.pos[0] if para.pos else 0)

    def _orders(self, text: str, start: int, end: int, subjects: list[Mention]) -> bool:
        """ "Chủ tịch UBND tỉnh chỉ đạo ...", "UBND tỉnh yêu cầu ...": the issuer's side gives the order."""
        return bool(match_from(_ORDERING, text, end)) and bool(
            match_from(_HEAD_POST, text, start) or any(n == self.issuer for m in subjects for n in m.names))

    def _join_lists(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Join a sentence whose partner list runs on past a semicolon into the next one.

        "phối hợp với Văn phòng UBND tỉnh; Sở Tư pháp và các cơ quan ... tham mưu": the
        semicolon separates two partners, not two sentences.
        """
        out: list[tuple[int, int]] = []
        for a, b in spans:
            if out:
                pa, pb = out[-1]
                parts = list(_PARTNER.finditer(text, pa, pb))
                if parts and text[pb - 1:pb] == ";" and not text[pb:a].strip():
                    found, end = parse_list(text, parts[-1].end(), self.j)
                    nxt, _ = parse_list(text, a, self.j)
                    if found and nxt and end >= a:  # the list read on across the semicolon
                        out[-1] = (pa, b)
                        continue
            out.append((a, b))
        return out

    def _current(self) -> tuple[list[Mention], str | None] | None:
        return self.context[max(self.context)] if self.context else None

    def _emit(self, out: list[Duty], mentions: list[Mention], role: str, verb: str | None, sent: str,
              span: Span, seen: set) -> None:
        dl, rec = deadline(sent, self.year, self.doc_date)
        for m in mentions:
            modality = _modality(verb, m, self.issuer_central, self.issuer_kind)
            for name in m.names:
                if (name, role) in seen:
                    continue
                seen.add((name, role))
                out.append(Duty(agency=name, role=role, modality=modality, deadline=dl, recurring=rec,
                                text=sent.strip(), span=span))

    def read(self, para: Para, fields_only: bool = False) -> list[Duty]:
        """Duties of one paragraph (updates the heading context).

        With ``fields_only`` (a paragraph outside the parts that assign duties), only
        field lines ("Đơn vị chủ trì: ...") give duties.
        """
        text = search_text(para.text)
        if text.startswith("| "):
            return []  # a table row: task tables are read by their columns (kg.extract.tables)
        level, mlen = marker_level(text)
        if (re.match(r"^\s*Nơi nhận\b", text) or re.search(r"(?:^|[;,.]\s*)-?\s*Lưu\s*:\s*(?:VT|Văn thư|HC)", text)
                or len(re.findall(r";\s*-\s", text)) >= 2 and text.rstrip().endswith(("|", ";"))):
            self.recipients = True  # the recipients list: bodies a copy is sent to, not duty holders
            return []
        if self.recipients:
            if level in (0, 9) and (is_top_heading(para) or _APPENDIX.match(text)):
                self.recipients = False
            else:
                return []
        fields = self._fields(para, text, mlen)
        if fields is not None:
            return fields
        if fields_only:
            self._task(para, text, [])
            return []
        if level < 9:
            for k in [k for k in self.context if k >= level]:
                del self.context[k]
        if match_from(r"^\s*(?:Trên đây|(?:Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Chương trình) này)\b", text, mlen):
            self.reset()
        if self.members is not None:
            if level <= self.members and not _MEMBERS.search(text):
                self.members = None
            else:  # "- Bộ trưởng Bộ Nội vụ, Phó Trưởng ban thường trực;": a member, not a duty
                return []
        if _MEMBERS.search(text):
            self.members = level if level < 4 else 3
            return []
        if match_from(_DESCRIBES_OTHER, text, mlen):
            return []
        body_start = mlen + (lead_in.end() if (lead_in := match_from(_LEAD_IN, text, mlen)) else 0)
        # "1. Sở Tài chính" / "2. Giao Bộ Y tế:" / "10. Ngân hàng CSXH tỉnh: ..." : a heading agency
        verb = None
        head_pos = body_start
        o = match_from(r"(Giao|Yêu cầu|Đề nghị)\s+", text, body_start)
        if o:
            verb, head_pos = o.group(1), body_start + o.end()
        # "Điều 20. Trách nhiệm của Ủy ban nhân dân cấp tỉnh", "3. Nhiệm vụ của Sở Tài chính:": a heading agency
        of = _RESPONSIBILITY_OF.match(text, body_start)
        if of:
            head_pos = of.end()
        heads, after = parse_list(text, head_pos, self.j)
        if not verb and heads and self._orders(text, head_pos, after, heads):
            heads = []
        rest = text[after:] if heads else ""
        if of and heads and level == 9 and len(text) < 160 and re.match(r"^\s*(?::|\.)?\s*$", rest):
            level = 0  # an unmarked heading line: its agency owns what follows until the next heading
        if heads and level < 9 and re.match(r"^\s*(?::|\.|$)", rest):
            self.context[level] = (heads, verb)
            if re.match(r"^\s*:\s*\S", rest) is None:
                return []
        elif heads and level < 9 and _DUTY_HEADING.match(rest):
            # "Điều 4. Sở Lao động - Thương binh và Xã hội có nhiệm vụ": the items below are its duties
            self.context[level] = (heads, verb)
        out: list[Duty] = []
        for a, b in self._join_lists(text, sentences(text)):
            sent = text[a:b]
            span = para.span(self.orig, a, b)
            seen: set = set()
            leads: list[tuple[Mention, str | None]] = []
            s0 = a + (lead_m.end() if (lead_m := _LEAD_IN.match(sent)) else 0)
            if a <= body_start < b or a == 0:
                s0 = max(s0, body_start if a <= body_start < b else s0)
            if heads and a <= head_pos < b:
                if verb or not _NOT_DUTY_VERB.match(rest) or re.match(r"^\s*:", rest):
                    leads += [(m, verb) for m in heads]
            else:
                sub, end = parse_list(text, s0, self.j)
                c = None if sub else _CLAUSE_LEAD.match(text, s0, b)
                if c:  # "Trên cơ sở Kế hoạch này, các sở, ban, ngành, UBND các xã ... xây dựng ..."
                    sub, end = parse_list(text, c.end(), self.j)
                if sub and self._orders(text, s0, end, sub):
                    sub = []
                if sub and not _NOT_DUTY_VERB.match(text[end:b]):
                    leads += [(m, None) for m in sub]
            for o2 in _ORDER.finditer(sent):
                found, fend = parse_list(sent, o2.end(), self.j)
                if found and match_from(_CONSIDER, sent, fend):
                    continue
                leads += [(m, o2.group(1) or o2.group(2)) for m in found]
            if not leads and self.context:
                ctx, cverb = self._current()  # type: ignore[misc]  # self.context is not empty
                leads = [(m, cverb) for m in ctx]
            if not leads:
                if out and _TIME_SENTENCE.match(sent):  # the time of the duties read just before
                    dl, rec = deadline(sent, self.year, self.doc_date)
                    if dl is None and rec is None:
                        dl, rec = when_deadline(sent, self.year)
                    for d in out:
                        if d.deadline is None and d.recurring is None:
                            d.deadline, d.recurring = dl, rec
                continue
            for m, v in leads:
                self._emit(out, [m], "lead", v, sent, span, seen)
            lead_names = {n for m, _ in leads for n in m.names}
            for p in _PARTNER.finditer(sent):
                found, _ = parse_list(sent, p.end(), self.j)
                found = [Mention([n for n in m.names if n not in lead_names], m.start, m.end, m.kind, m.central)
                         for m in found]
                self._emit(out, [m for m in found if m.names], "partner", leads[0][1], sent, span, seen)
        self._task(para, text, out)
        return out


def subject_of(sentence: str, j: Jurisdiction) -> Mention | None:
    """The agency a sentence starts with, if any."""
    s = search_text(sentence)
    s0 = lead_in.end() if (lead_in := _LEAD_IN.match(s)) else 0
    return match_at(s, s0, j)
