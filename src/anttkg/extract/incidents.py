"""Incidents: crimes, arrests and raids, prosecution steps, trials, fires and explosions, traffic accidents and
natural disasters, as security news reports them.

An incident is a trigger word of a family (incident_triggers.tsv) with a day and month of the same clause:
the date that names when the trigger's act happened ("vụ cướp xảy ra vào tối 10/6", "khoảng 22h ngày 29/6,
... xe tải đâm vào ...") or, failing that, the nearest date before the trigger in its clause ("Ngày 26/5,
Công an huyện X đã tạm giữ ..."). So in "Ngày 12/6, Công an cho biết, tối 10/6, A đâm B" the crime is of
the 10th. A narrative time ("khoảng 22h30 ngày 31/1, ...") dates an incident of the family told in the next
sentences or, failing that, in the headline. The same family on the same date is one incident, read in as
many sentences as tell it; other families or dates are other incidents. A trigger never makes an incident
without a date, inside a charge ("về tội Giết người"), a body's name, after background or intent words
("từng bị xử phạt", "phòng chống", "xem xét khởi tố"), or in a sentence whose date already dates an event
of the events stage (a conference about fighting crime is no crime).

Around each incident the rules read its people by their role cue (incident_roles.tsv; initials such as
"Nguyễn Văn H." are kept as written and not resolved), the bodies that act (incident_bodies.tsv), places
(not where someone lives), charges with their Penal Code article, the court's penalties, casualties and
damage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import Charge, DateMention, DateValue, Extraction, IncidentMention, IncidentParticipant, Sentence
from .context import ArticleText
from .dates import complete
from .numbers import lowered, phrase_matches, phrase_pattern, register_phrase_family
from .organizations import LOWER, UPPER
from .spans import SpanIndex

FAMILIES = ("crime", "arrest", "prosecution", "trial", "fire", "traffic-accident", "disaster")
# Families that tell what happened (as against what the authorities did about it): casualties belong to them.
_OCCURRENCES = ("crime", "fire", "traffic-accident", "disaster")

# A date that bounds a range, sets a deadline or gives a birth day is no incident date.
_NOT_DATE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:trước|sau|hạn|kể từ|cho đến|đầu|cuối|sinh|sinh ngày|ngày sinh)\s+"
    r"|(?<!\w)từ\s[^,;.]{0,30}(?:đến|tới)\s+)"
    r"(?:(?:sáng|chiều|tối|trưa|đêm)\s+)?(?:ngày\s+)?$", re.IGNORECASE)
_NOT_DATE_AFTER = re.compile(r"\s*(?:[-–]\s*\d|đến\s|tới\s)", re.IGNORECASE)
# Words between a trigger and a following date that tie the date to it: "vụ tấn công hôm 7/6", "xảy ra vào
# sáng 7/5", "Tại phiên xử ngày 27/6", "xảy ra vào mùng 5 Tết (1/2)".
_DATE_AFTER_CUE = re.compile(
    r"(?:(?<!\w)(?:xảy ra|diễn ra|hôm|ngày|sáng|chiều|tối|trưa|đêm|khuya|rạng sáng|lúc|hồi|vào)"
    r"|\d\s*(?:h|giờ)(?:\s*\d{1,2}(?:\s*phút)?)?|(?<!\w)tết[^,;.()]{0,20}\()\s*\(?\s*$", re.IGNORECASE)
# A time of day before the date tells a story's moment: "khoảng 22h30 ngày 31/1", "Lúc 10 giờ 30 phút ngày
# 7/7", "đêm 16/9/2016".
_DAY_PART = re.compile(r"(?:^|[,:]\s*|\s)(?:sáng|chiều|tối|trưa|đêm|ngày)\s+$", re.IGNORECASE)
_NARRATIVE_TIME = re.compile(
    r"(?:\d\s*(?:h|giờ)(?:\s*\d{1,2})?(?:\s*phút)?(?:\s*(?:sáng|chiều|tối|trưa|đêm|khuya))?"
    r"|(?<!\w)(?:rạng sáng|đêm|khuya|nửa đêm))\s*,?\s*(?:ngày\s+)?\(?$", re.IGNORECASE)
# Where someone lives or comes from is no incident place.
_RESIDENCE = re.compile(r"(?<!\w)(?:ngụ|trú|quê|thường trú|tạm trú|hộ khẩu|sinh sống)(?!\w)", re.IGNORECASE)
# A charge: "về tội “Giết người”", "với tội danh Giết người", "về hành vi hiếp dâm trẻ em", "vụ án “Tham ô”",
# "vụ “Trộm cắp tài sản”".
_CHARGE = re.compile(
    r"(?<!\w)vụ(?: án)?\s*[“\"]\s*(?P<case>[^”\"\n]{2,150}?)\s*[”\"]"
    r"|(?<!\w)(?:về|với|cùng về)\s+(?:các\s+|hai\s+|\d+\s+)?(?:tội(?:\s+danh)?|hành vi)\s*:?\s*"
    r"(?:[“\"]\s*(?P<quoted>[^”\"\n]{2,150}?)\s*[”\"]"
    r"|(?P<plain>[" + LOWER + UPPER + r"][^,.;:()“”\"\n]{2,120}?)"
    r"(?=\s*(?:[,.;:()“”\"\n]|$|\s(?:theo|xảy ra|tại|để|đối với|và bắt|và lệnh|quy định tại|trong|cho)\s)))",
    re.IGNORECASE)
_NOT_CHARGE = re.compile(r"(?:nêu trên|trên|này|của mình|phạm tội|vi phạm pháp luật|liên quan)$|^(?:danh|trên)\b",
                         re.IGNORECASE)
_PENAL_ARTICLE = re.compile(
    r"(?:(?:điểm\s+\w\s*,?\s*)?khoản\s+(?P<clause>\d{1,2})\s*,?\s*)?Điều\s+(?P<article>\d{1,3})\s+"
    r"(?:của\s+)?(?:Bộ luật Hình sự|BLHS)", re.IGNORECASE)
_NUMBER_WORDS = r"\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mười hai|mười lăm|hai mươi"
_PENALTY = re.compile(
    r"(?:(?:" + _NUMBER_WORDS + r")\s+năm(?:\s+\d{1,2}\s+tháng)?|\d{1,2}\s+tháng)\s+tù(?:\s+giam)?"
    r"(?:\s*,?\s*(?:nhưng\s+)?(?:cho\s+)?hưởng\s+án\s+treo)?"
    r"|tù\s+chung\s+thân|tử\s+hình|(?:cải\s+tạo\s+không\s+giam\s+giữ)", re.IGNORECASE)
_DEATH_AFTER = re.compile(r"\s+(?:người\s+)?(?:đã\s+)?(?:chết|tử vong|thiệt mạng|thương vong)(?!\w)", re.IGNORECASE)
_INJURY_AFTER = re.compile(r"\s+(?:người\s+)?(?:khác\s+)?(?:đã\s+)?bị\s+thương(?!\w)", re.IGNORECASE)
_DEATH_BEFORE = re.compile(r"(?<!\w)(?:chết|tử vong|thiệt mạng)\s+(?:cả\s+)?$", re.IGNORECASE)
_DAMAGE_BEFORE = re.compile(r"(?<!\w)thiệt hại\s+(?:(?:số tiền|tài sản|khoảng|hơn|gần|trên|ước tính|lên đến|lên tới|"
                            r"tổng số tiền|tổng cộng)\s+){0,3}$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:đồng|VNĐ|VND)(?!\w)", re.IGNORECASE)
# "Nguyễn Văn H.", "Trần Trung N.", "N.K.T": a name given by initials.
_INITIALS_NAME = re.compile(
    r"(?:[" + UPPER + r"][" + LOWER + r"]+\s+){1,3}[" + UPPER + r"]\.(?:[" + UPPER + r"]\.?)*(?![" + LOWER + r"])"
    r"|[" + UPPER + r"]\.(?:[" + UPPER + r"]\.?)+(?![" + LOWER + r"])"
    r"|(?:[" + UPPER + r"][" + LOWER + r"]+\s+){1,3}[" + UPPER + r"](?![\w.])")
# A full name as written: two to five capitalised words ("Nguyễn Đức Mạnh", "Y Khoa Niê").
_FULL_NAME = re.compile(r"[" + UPPER + r"][" + LOWER + r"]*(?:\s+[" + UPPER + r"][" + LOWER + r"]*){1,4}(?![\w.])")
# What an arrest, prosecution or trial verb is done to: "bắt giữ A", "tạm giữ hình sự đối với B".
_ACTED_ON = re.compile(r"\s+(?:hình sự\s+)?(?:đối với\s+)?(?:bị can\s+|bị cáo\s+|đối tượng\s+)?")
_WORD = re.compile(r"\S+")
_NAME_STOP = re.compile(r"[.;(\n]|\s+(?:để|nhằm|thì|nhưng)\s|,\s+(?=[" + UPPER + r"])")


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern, dict[str, dict[str, str]]]:
    table = {row["trigger"].casefold(): row for row in load_table("incident_triggers")}
    return re.compile(r"(?<!\w)(?P<t>" + phrase_pattern(table) + r")(?!\w)"), table


register_phrase_family("incidents", lambda: _triggers()[0], lambda: _triggers()[1])


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(row["surname"].casefold() for row in load_table("surnames"))


@lru_cache(maxsize=1)
def _family_names() -> dict[str, str]:
    """What an incident of each family is called when the text names it no better (incident_families.tsv)."""
    return {row["family"]: row["vi"] for row in load_table("incident_families")}


@lru_cache(maxsize=1)
def _cue_words() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in load_table("incident_cues"):
        out.setdefault(row["kind"], []).append(row["cue"])
    return out


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern]:
    words = _cue_words()
    return {
        # scanned on the original text: "Phòng Cảnh sát" is a body, "phòng chống" an intent
        "intent": re.compile(r"(?<!\w)(?<![Bb]iên )(?:" + phrase_pattern(words["intent"]) + r")\s+(?:\S+\s+){0,4}$"),
        "background": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["background"]) + r")(?!\w)"),
        "vehicle": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["vehicle"]) + r")(?!\w)"),
        "penalty_verb": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["penalty_verb"]) + r")(?!\w)"),
        "penalty_not": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["penalty_not"]) + r")(?!\w)"),
        "charge_lead": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["charge_lead"]) + r")\s+(?:\S+\s+)?$"),
        "report": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["report"]) + r")(?!\w)"),
        "authority_act": re.compile(r"(?<!\w)(?:" + phrase_pattern(words["authority_act"]) + r")(?!\w)"),
    }


@lru_cache(maxsize=1)
def _role_cues() -> tuple[re.Pattern, dict[str, str]]:
    table = {row["cue"]: row["role"] for row in load_table("incident_roles")}
    return re.compile(r"(?<!\w)(?P<cue>" + phrase_pattern(table) + r")(?!\w)"), table


@lru_cache(maxsize=1)
def _body_heads() -> list[tuple[str, str]]:
    rows = [(row["head"].casefold(), row["role"]) for row in load_table("incident_bodies")]
    return sorted(rows, key=lambda r: (-len(r[0]), r[0]))


def body_role(name: str) -> str | None:
    """The part a body plays in an incident by its name's head: unit, investigator, court or procuracy."""
    low = name.casefold()
    for head, role in _body_heads():
        if low.startswith(head) and not low[len(head):len(head) + 1].isalnum():
            return role
    return None


@dataclass
class _Incident:
    kind: str
    date: DateValue
    start: int  # the trigger (or, for a narrative date, the date) that reports it
    end: int
    sentence: int
    name: str
    anchors: list[int] = field(default_factory=list)  # sentences that tell it
    participants: list[IncidentParticipant] = field(default_factory=list)
    bodies: list[tuple[str, str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    penalties: list[str] = field(default_factory=list)
    deaths: int | None = None
    injuries: int | None = None
    damage: int | float | None = None


def _add(items: list, value) -> None:
    if value and value not in items:
        items.append(value)


def _valid_date(doc: ArticleText, sent: Sentence, mention: DateMention, document_ends: list[int]) -> bool:
    value = mention.value
    if not (value.month and value.day):
        return False
    before = doc.match[max(sent.start, mention.span.start - 40):mention.span.start]
    if _NOT_DATE_BEFORE.search(before) or _NOT_DATE_AFTER.match(doc.match, mention.span.end):
        return False
    # "Quyết định số 12/QĐ-CA ngày 3/4": a document's date
    return not any(0 <= mention.span.start - end <= 30 for end in document_ends)


def _family(doc: ArticleText, trig: re.Match, row: dict[str, str], sent: Sentence) -> str:
    family = row["family"]
    if family == "collision":  # "xe tải tông vào", "ô tô đâm vào": a traffic accident; "dùng dao đâm": a crime
        before = lowered(doc.match)[max(sent.start, trig.start() - 100):trig.start()]
        family = "traffic-accident" if _cue_patterns()["vehicle"].search(before) else "crime"
    return family


def _trigger_ok(doc: ArticleText, low: str, trig: re.Match, row: dict[str, str], blocked: SpanIndex,
                clause_start: int) -> bool:
    start, end = trig.span()
    if blocked.overlaps(start, end):
        return False  # inside a body's name or a charge
    before_words = _WORD.findall(low[max(0, start - 30):start])
    for cue in values(row.get("not_before")):
        n = len(cue.split())
        if before_words[-n:] == cue.split():
            return False
    after = low[end:end + 30].split()
    for cue in values(row.get("not_after")):
        n = len(cue.split())
        if after[:n] == cue.split():
            return False
    if _cue_patterns()["intent"].search(doc.text[max(clause_start, start - 40):start]) or \
            _cue_patterns()["charge_lead"].search(low[max(clause_start, start - 30):start]):
        return False
    if "không có việc" in low[clause_start:start] or "không có chuyện" in low[clause_start:start]:
        return False
    return not _cue_patterns()["background"].search(low, max(clause_start, start - 40), start)


def _clause_start(doc: ArticleText, sent: Sentence, pos: int) -> int:
    semicolon = doc.match.rfind(";", sent.start, pos)
    return semicolon + 1 if semicolon >= 0 else sent.start


def _date_for(doc: ArticleText, low: str, sent: Sentence, trig: re.Match, dates: list[DateMention],
              next_trigger: int, family: str):
    """The date a trigger's act happened: one tied to it after it (before any other trigger), else the nearest
    before it in its clause."""
    for mention in dates:
        if mention.span.start < trig.end():
            continue
        between = doc.match[trig.end():mention.span.start]
        if len(between) <= 80 and not re.search(r"[;.,]", between) and mention.span.start < next_trigger and \
                _DATE_AFTER_CUE.search(between):
            return mention
        break
    clause = _clause_start(doc, sent, trig.start())
    best = None
    for mention in dates:
        if mention.span.end > trig.start():
            break
        if mention.span.start >= clause and trig.start() - mention.span.end <= 250:
            best = mention
    if best is not None and _cue_patterns()["background"].search(low, best.span.end, trig.start()):
        return None  # "Ngày 3/4/2015, A từng bị bắt": someone's past
    if best is not None and family != "prosecution" and (
            _cue_patterns()["report"].search(low, best.span.end, trig.start()) or
            _cue_patterns()["report"].search(low, max(sent.start, best.span.start - 20), best.span.start)):
        # "Ngày 10/2, Công an tỉnh cho biết đã bắt giữ ...", "thông báo ngày 9/6 của Bộ X cho biết ... bị bắt":
        # the day it was said (a statement of the events stage), not the day it was done. A prosecution step is
        # a decision its body makes known as it takes it ("Ngày 7/2, Cơ quan CSĐT cho biết đã khởi tố ..."), so
        # the day it is told is its day.
        return None
    return best


def _authority_acts(doc: ArticleText, low: str, found: Extraction, sent: Sentence, start: int, end: int) -> bool:
    """A police, border-guard or customs unit named between START and END, then an act of theirs
    (incident_cues.tsv, authority_act): "Đội tuần tra ... phát hiện", "Chi cục Hải quan ... kiểm tra"."""
    for org in found.organizations:
        if org.span.sentence != sent.index or not start <= org.span.start < end:
            continue
        if body_role(org.name) in ("unit", "investigator") and \
                _cue_patterns()["authority_act"].search(low, org.span.end, min(sent.end, org.span.end + 200)):
            return True
    return False


def _incident_name(doc: ArticleText, start: int, sent_end: int) -> str:
    window = doc.text[start:min(sent_end, start + 160)]
    stop = _NAME_STOP.search(window)
    name = window[:stop.start()] if stop else window
    if not name.strip(" ,:;-–"):
        return ""
    if len(name) > 120:
        cut = name.rfind(" ", 0, 120)
        name = name[:cut if cut > 20 else 120]
    name = re.sub(r"\s+", " ", name).strip(" ,:;-–")
    return name[:1].upper() + name[1:]


def _blocked_spans(doc: ArticleText, found: Extraction, low: str) -> tuple[SpanIndex, list[tuple[int, int, str]]]:
    """Spans where a trigger reports no incident (bodies' names, charges), and the charges found."""
    charges = []
    for match in _CHARGE.finditer(doc.match):
        group = next(g for g in ("case", "quoted", "plain") if match.group(g))
        text = re.sub(r"\s+", " ", doc.text[match.start(group):match.end(group)]).strip(" ,")
        if not _NOT_CHARGE.search(text) and len(text) > 2:
            charges.append((match.start(group), match.end(group), text))
    spans = [(o.span.start, o.span.end) for o in found.organizations]
    spans += [(s, e) for s, e, _ in charges]
    return SpanIndex(spans), charges


def find_incidents(doc: ArticleText, found: Extraction) -> list[IncidentMention]:
    if not doc.sentences:
        return []
    low = lowered(doc.match)
    _, table = _triggers()
    triggers = phrase_matches("incidents", low)
    if not triggers:
        return []
    blocked, charges = _blocked_spans(doc, found, low)
    document_ends = [d.span.end for d in found.documents]
    event_dates = {(e.span.sentence, e.date) for e in found.events if e.date}
    dates_by_sentence: dict[int, list[DateMention]] = {}
    for mention in found.dates:
        sent = doc.sentences[mention.span.sentence]
        if _valid_date(doc, sent, mention, document_ends):
            dates_by_sentence.setdefault(mention.span.sentence, []).append(mention)
    triggers_by_sentence: dict[int, list[tuple[re.Match, str]]] = {}
    for trig in triggers:
        index = doc.sentence_index(trig.start())
        sent = doc.sentences[index]
        row = table[" ".join(trig.group("t").split())]
        if _trigger_ok(doc, low, trig, row, blocked, _clause_start(doc, sent, trig.start())):
            triggers_by_sentence.setdefault(index, []).append((trig, _family(doc, trig, row, sent)))
    if not triggers_by_sentence:
        return []
    # A year-less date takes only the publication year: a year read elsewhere in the text may be a background
    # year ("Năm 2015, A từng bị xử phạt"), and a year is never guessed.
    year = doc.published.year if doc.published else None
    incidents: list[_Incident] = []
    by_key: dict[tuple[str, DateValue], _Incident] = {}

    def record(kind: str, mention: DateMention, start: int, end: int, sent: Sentence, name_at: int,
               name_end: int) -> None:
        date = complete(mention.value, doc, year)
        if (sent.index, date) in event_dates:
            return  # the sentence reports a conference or ceremony of that day, not an incident
        existing = by_key.get((kind, date)) or next(  # "ngày 5/4/2017" and later "đêm 5/4": one day
            (i for i in incidents if i.kind == kind and (i.date.month, i.date.day) == (date.month, date.day)
             and (i.date.year is None or date.year is None)), None)
        if existing is not None:
            if existing.date.year is None and date.year is not None:
                existing.date = date
            _add(existing.anchors, sent.index)
            return
        name = _incident_name(doc, name_at, name_end) or _family_names()[kind]
        incident = _Incident(kind, date, start, end, sent.index, name, anchors=[sent.index])
        by_key[(kind, date)] = incident
        incidents.append(incident)

    # The headline's family: what a narrative date tells when no trigger follows it.
    lead = [f for i, trigs in sorted(triggers_by_sentence.items()) for t, f in trigs
            if doc.sentences[i].start < len(doc.article.title) + len(doc.article.sapo) + 4]
    headline_family = lead[0] if lead else None
    headline_occurrence = next((f for f in lead if f in _OCCURRENCES), None)
    for index, sent in enumerate(doc.sentences):
        dates = dates_by_sentence.get(index, [])
        if not dates:
            continue
        used: set[int] = set()
        in_sentence = triggers_by_sentence.get(index, [])
        for number, (trig, family) in enumerate(in_sentence):
            next_trigger = in_sentence[number + 1][0].start() if number + 1 < len(in_sentence) else sent.end
            mention = _date_for(doc, low, sent, trig, dates, next_trigger, family)
            if mention is None or id(mention) in used:
                continue  # one incident per date of a sentence: further triggers tell parts of it
            used.add(id(mention))
            record(family, mention, trig.start(), trig.end(), sent, trig.start(), sent.end)
        for mention in dates:
            if id(mention) in used:
                continue
            lead_in = doc.match[max(sent.start, mention.span.start - 30):mention.span.start]
            timed = bool(_NARRATIVE_TIME.search(lead_in))
            following = [(t, f) for t, f in triggers_by_sentence.get(index, []) if t.start() > mention.span.end]
            for later in (index + 1, index + 2):
                following += triggers_by_sentence.get(later, [])
            if not timed:
                # "Theo kết quả điều tra, chiều 1/2, tài xế Lai điều khiển xe tải ...": a day that opens a clause
                # telling what happened (not what was said), before an occurrence of the next sentences
                clause_end = doc.match.find(",", mention.span.end, sent.end)
                clause = low[mention.span.end:clause_end if clause_end > 0 else sent.end]
                if not (_DAY_PART.search(lead_in) and following and following[0][1] in _OCCURRENCES and
                        not _cue_patterns()["report"].search(low, mention.span.end, min(sent.end, mention.span.end + 120))
                        and clause.strip(" ,)") == ""):
                    continue
            # a story's moment tells what happened: the authorities acting then ("khoảng 22h ngày 9/2, Tổ tuần tra
            # ... phát hiện"), else an occurrence told next, else the headline's, else an arrest told next; a
            # prosecution or trial is no moment's act, so a case's story ("Theo cáo trạng, khoảng 15h ngày 22/1,
            # ...") tells its offence: a traffic accident when a vehicle is in it, else a crime
            occurrences = [(t, f) for t, f in following if f in _OCCURRENCES]
            if timed and _authority_acts(doc, low, found, sent, mention.span.end,
                                         occurrences[0][0].start() if occurrences else sent.end):
                family, name_at, name_end = "arrest", mention.span.end, sent.end
            elif occurrences:
                trig, family = occurrences[0]
                name_at, name_end = trig.start(), doc.sentence_of(trig.start()).end
            elif headline_occurrence:
                family, name_at, name_end = headline_occurrence, mention.span.end, sent.end
            elif following or headline_family:
                family = next((f for t, f in following if f == "arrest"), None) or headline_family
                if family in (None, "prosecution", "trial"):
                    vehicle = _cue_patterns()["vehicle"].search(low, mention.span.end, sent.end)
                    family = "traffic-accident" if vehicle else "crime"
                name_at, name_end = mention.span.end, sent.end
            else:
                continue
            used.add(id(mention))
            record(family, mention, mention.span.start, mention.span.end, sent, name_at, name_end)
    if not incidents:
        return []
    incidents.sort(key=lambda i: (i.sentence, i.start))
    _fill(doc, found, low, incidents, charges)
    return [IncidentMention(i.kind, i.name, doc.text[i.start:i.end], doc.span(i.start, i.end), i.date,
                            tuple(i.places), tuple(i.participants), tuple(i.bodies), tuple(i.charges),
                            tuple(i.penalties), i.deaths, i.injuries, i.damage, tuple(sorted(i.anchors)))
            for i in incidents]


def _owner(incidents: list[_Incident], sentence: int, kinds: tuple[str, ...] = FAMILIES) -> _Incident | None:
    """The incident a fact read in SENTENCE belongs to: the first one told there, else the latest one told
    before it, else the first of the article."""
    pool = [i for i in incidents if i.kind in kinds]
    if not pool:
        return None
    here = [i for i in pool if sentence in i.anchors]
    if here:
        return here[0]
    before = [i for i in pool if min(i.anchors) <= sentence]
    return max(before, key=lambda i: min(i.anchors)) if before else pool[0]


def _initials(name: str) -> bool:
    last = name.replace(".", " ").split()[-1] if name.strip(". ") else ""
    return len(last) == 1 or "." in name


def _fill(doc: ArticleText, found: Extraction, low: str, incidents: list[_Incident],
          charges: list[tuple[int, int, str]]) -> None:
    anchored = {index for i in incidents for index in i.anchors}
    org_spans = SpanIndex((o.span.start, o.span.end) for o in found.organizations)
    # people by role cue ("bị can A", "nạn nhân là nam thanh niên 25 tuổi, Trần Trung N.")
    cue_pattern, cue_roles = _role_cues()
    roled: dict[int, str] = {}  # start of a person mention -> role
    listed: list[tuple[int, int, str]] = []  # (from, sentence end, role) of "các bị cáo gồm: A, B, C"
    people_at = {person.span.start: person for person in found.people}
    written_at: set[int] = set()  # where this stage read a name itself

    def read_name(at: int, end: int, role: str, sentence: int) -> None:
        """A participant named at AT: a person the people stage found there, else a name as written."""
        if at in written_at:
            return
        written = _INITIALS_NAME.match(doc.text, at, end) or _FULL_NAME.match(doc.text, at, end)
        if written and not _initials(written.group()) and at not in people_at:
            words = written.group().split()
            if words[0].casefold() not in _surnames() and len(words) < 3:
                return  # "Cường Theo các bác sỹ": a given name and the next sentence, no full name
        if at in people_at and not (written and written.group().endswith(".") and
                                    len(written.group()) > people_at[at].span.end - at):
            return  # the people stage read it ("Trần Văn K." is kept with its dot)
        owner = _owner(incidents, sentence)
        if not written or owner is None:
            return
        name = written.group().strip()
        written_at.add(at)
        if all(p.name != name for p in owner.participants):
            owner.participants.append(IncidentParticipant(name, role, name, doc.span(at, written.end()),
                                                          not _initials(name)))

    for cue in cue_pattern.finditer(low):
        role = cue_roles[" ".join(cue.group("cue").split())]
        sent = doc.sentence_of(cue.start())
        pos = cue.end()
        copula = re.match(r"\s+là\s+", doc.text[pos:sent.end])
        if copula:  # "Nạn nhân là nam thanh niên 25 tuổi, Trần Trung N.": lower-case words before the name
            pos += copula.end()
            for _ in range(8):
                word = re.match(r"[\s,:]*(\S+)", doc.text[pos:sent.end])
                if not word or word.group(1)[:1].isupper():
                    break
                pos += word.end()
        at = pos + len(doc.text[pos:sent.end]) - len(doc.text[pos:sent.end].lstrip(" ,:"))
        roled.setdefault(at, role)
        if re.match(r"[^.;]{0,40}?gồm\s*:?", doc.text[cue.end():sent.end]):
            listed.append((cue.end(), sent.end, role))
        read_name(at, sent.end, role, sent.index)
    for incident in incidents:
        if incident.kind not in ("arrest", "prosecution", "trial") or incident.end <= incident.start:
            continue
        sent = doc.sentences[incident.sentence]
        acted = _ACTED_ON.match(doc.text, incident.end, sent.end)
        if acted and acted.end() not in roled:
            at = acted.end()
            role = "defendant" if incident.kind == "trial" else "suspect"
            if at in people_at and not (people_at[at].rank or people_at[at].positions):
                roled[at] = role
            elif at not in people_at:
                read_name(at, sent.end, role, sent.index)
    for person in found.people:
        if person.span.start in written_at:
            continue
        index = person.span.sentence
        owner = _owner(incidents, index)
        if owner is None:
            continue
        role = roled.get(person.span.start) or next((r for s, e, r in listed if s <= person.span.start < e), None)
        if role is None and index in owner.anchors:
            if person.rank or person.positions:
                role = "officer" if person.rank else None
            elif owner.kind in ("arrest", "prosecution", "trial") and person.span.start > owner.start:
                role = "defendant" if owner.kind == "trial" else "suspect"  # "đã bắt giữ A", "khởi tố B"
        if role is None:
            continue
        if all(p.name != person.name or p.role != role for p in owner.participants):
            owner.participants.append(IncidentParticipant(person.name, role, person.text, person.span,
                                                          not _initials(person.name)))
    # bodies and places of the sentences that tell each incident
    for org in found.organizations:
        role = body_role(org.name)
        if role is None:
            continue
        for incident in incidents:
            if org.span.sentence in incident.anchors:
                _add(incident.bodies, (role, org.name))
    for incident in incidents:
        inside, outside = [], []
        for place in found.places:
            if place.span.sentence not in incident.anchors:
                continue
            sent = doc.sentences[place.span.sentence]
            lead_in = doc.match[max(sent.start, place.span.start - 80):place.span.start]
            cue = None
            for cue in _RESIDENCE.finditer(lead_in):
                pass
            if cue is not None and not re.search(r"[);]", lead_in[cue.end():]):
                continue  # where someone lives
            (inside if org_spans.covers(place.span.start, place.span.end) else outside).append(place)
        # where it happened as written; the province or city of the acting body ("Công an tỉnh Quảng Ninh")
        # when the text names only a district or commune outside names, so a province's incidents are found
        chosen = outside or inside
        if outside and not any(p.kind in ("province", "city") for p in outside):
            chosen = outside + [p for p in inside if p.kind in ("province", "city")]
        for place in chosen:
            _add(incident.places, place.name)
    # charges and their Penal Code articles
    articles = [(m.start(), m.end(), int(m.group("article")), int(m.group("clause")) if m.group("clause") else None)
                for m in _PENAL_ARTICLE.finditer(doc.match)]
    taken: set[int] = set()
    for start, end, text in charges:
        index = doc.sentence_index(start)
        owner = _owner(incidents, index)
        if owner is None:
            continue
        sent = doc.sentences[index]
        if _cue_patterns()["background"].search(low, max(_clause_start(doc, sent, start), start - 80), start):
            continue  # "Năm 2015, A từng bị xử phạt về hành vi trộm cắp": someone's past, not this charge
        article = clause = None
        for a_start, a_end, number, clause_no in articles:  # "(theo điều 123 BLHS)" right after the charge
            if 0 <= a_start - end <= 60 and a_start not in taken:
                article, clause = number, clause_no
                taken.add(a_start)
                break
        name = text[:1].upper() + text[1:]
        if all(c.name != name for c in owner.charges):
            owner.charges.append(Charge(name, article, clause))
    for a_start, _, number, clause_no in articles:
        owner = _owner(incidents, doc.sentence_index(a_start))
        if a_start not in taken and owner is not None and all(c.article != number for c in owner.charges):
            owner.charges.append(Charge(None, number, clause_no))
    # the court's penalties
    cues = _cue_patterns()
    for match in _PENALTY.finditer(doc.match):
        sent = doc.sentence_of(match.start())
        owner = _owner(incidents, sent.index, ("trial",))
        lead_in = low[max(sent.start, match.start() - 60):match.start()]
        if owner is None or not cues["penalty_verb"].search(low, sent.start, match.start()) or \
                cues["penalty_not"].search(lead_in):
            continue
        _add(owner.penalties, re.sub(r"\s+", " ", doc.text[match.start():match.end()]))
    # casualties and damage
    for number in found.numbers:
        if not isinstance(number.value, int) or number.value < 0:
            continue
        sent = doc.sentence_of(number.span.start)
        if sent.index not in anchored:
            continue
        lead_in = low[max(sent.start, number.span.start - 40):number.span.start]
        if _DAMAGE_BEFORE.search(lead_in) and _MONEY_AFTER.match(doc.match, number.span.end):
            owner = _owner(incidents, sent.index)
            if owner is not None and owner.damage is None:
                owner.damage = number.value
            continue
        owner = _owner(incidents, sent.index, _OCCURRENCES)
        if owner is None:
            continue
        if owner.deaths is None and (_DEATH_AFTER.match(low, number.span.end) or (
                _DEATH_BEFORE.search(lead_in) and low.startswith(" người", number.span.end))):
            owner.deaths = number.value
        elif owner.injuries is None and _INJURY_AFTER.match(low, number.span.end):
            owner.injuries = number.value


__all__ = ["FAMILIES", "body_role", "find_incidents"]
