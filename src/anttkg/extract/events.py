"""Events: conferences, ceremonies, congresses, meetings, visits, trainings.

A trigger noun (event_types.tsv) makes an event when the text dates it ("Chiều 08/8/2022, tại Hà Nội,
X tổ chức Hội nghị ...", "Hội nghị ... diễn ra ngày 5/3") or says someone holds it ("X tổ chức lễ ...").
Later mentions ("Phát biểu tại Hội nghị") are the same event. Dates of documents, ranges, deadlines and
past anniversaries are no event dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..lexicon import alternatives, load_table, values
from ..models import DateMention, DateValue, EventMention, Extraction, Sentence
from .context import ArticleText
from .dates import lead_end_offset, complete
from .documents import NUMBER
from .numbers import lowered, phrase_matches, phrase_pattern, register_phrase_family
from .matching import UPPER

# A trigger inside the title of an organising committee ("Trưởng Ban tổ chức (BTC) lễ hội") is no event.
_COMMITTEE_BEFORE = re.compile(r"(?<!\w)ban tổ chức\s*(?:\([^()]{1,12}\)\s*)?$", re.IGNORECASE)
# Not an event date: a range bound or deadline ("từ 1/3 đến 5/3", "trước 30/6"), a document's date.
_NOT_EVENT_DATE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:từ|đến|tới|trước|sau|hạn|kể từ|cho đến|đầu|cuối)\s+(?:(?:sáng|chiều|tối|trưa|đêm)\s+)?"
    r"(?:ngày\s+)?|" + NUMBER
    + r"\s*,?\s*(?:ngày\s+)?|[-–]\s*)$", re.IGNORECASE)
# "Theo tờ X ngày 20/6, ...": the date of a source that reports, not of what it reports.
# (matched from the sentence start with pos/endpos, so no slice of a long sentence is made per date)
_SOURCE_DATE_BEFORE = re.compile(r"\W*theo\s+[^,;]{0,60}$", re.IGNORECASE)
_NOT_EVENT_DATE_AFTER = re.compile(r"\s*(?:[-–]\s*\d|đến\s|tới\s)", re.IGNORECASE)
_DATE_AFTER_TRIGGER = re.compile(
    r"(?:diễn ra|được tổ chức|tổ chức|khai mạc|bế mạc)\s+(?:vào\s+)?"
    r"(?:(?:lúc\s+)?\d{1,2}\s*(?:h|giờ)(?:\s*\d{1,2}(?:\s*phút)?)?\s*,?\s*)?"  # "khai mạc lúc 20h ngày 10/3"
    r"(?:(?:sáng|chiều|tối|trưa|hôm)\s+(?:nay\s+)?\(?|ngày\s+)$", re.IGNORECASE)
# "..., sáng 7-2, X đến thăm ...": a time adverbial dates the clause it opens.
_TIME_ADVERBIAL = re.compile(r"(?:^|[,;:]\s*|\s)(?:sáng|chiều|tối|trưa|đêm|ngày|hôm)\s+(?:nay\s+)?\(?$",
                             re.IGNORECASE)
_ADVERBIAL_END = re.compile(r"\)?\s*,")
_RELATIVE_TODAY = re.compile(r"^\W{0,3}(?:\([^()]{1,20}\)\s*)?(?:(?:sáng|chiều|tối|trưa|đêm)\s+nay|hôm nay)\s*,",
                             re.IGNORECASE)
_PLACE_CUE = re.compile(r"(?<!\w)tại\s+(?:các\s+)?(?:điểm cầu\s+)?(?:(?:tỉnh|thành phố|TP\.?|huyện|quận)\s+)?$",
                        re.IGNORECASE)
_SPACES = re.compile(r"\s*")
_CHAIR_CUE = re.compile(r"(?<!\w)chủ trì(?!\w)", re.IGNORECASE)
_SPEAK_CUE = re.compile(r"(?<!\w)phát biểu(?!\w)", re.IGNORECASE)


class _CuePatterns(NamedTuple):
    hold_between: re.Pattern
    hold_just_before: re.Pattern
    hold_as_noun: re.Pattern
    venue_before: re.Pattern
    glued_hoi: re.Pattern
    name_stop: re.Pattern
    attend: re.Pattern


@lru_cache(maxsize=1)
def _cue_patterns() -> _CuePatterns:
    """The cue patterns built around the word lists of event_cues.tsv."""
    rows = load_table("event_cues")
    hold = r"(?:" + alternatives(rows, "hold") + r")"
    return _CuePatterns(
        hold_between=re.compile(r"(?<!\w)" + hold + r"(?!\w)", re.IGNORECASE),
        hold_just_before=re.compile(r"(?<!\w)(?<!ban )(?<!Ban )(?:" + alternatives(rows, "hold_just_before") + r")"
                                    r"\s*(?:các\s+|cuộc\s+|buổi\s+)?$", re.IGNORECASE),
        # "hoạt động tổ chức lễ hội", "khu diễn ra lễ hội", "việc tổ chức hội nghị": the verb made a noun speaks
        # of organising in general, not of an occasion held; "dừng tổ chức lễ hội": one not held.
        hold_as_noun=re.compile(r"(?<!\w)(?:" + alternatives(rows, "hold_noun") + r")\s+(?:\w+\s+)?"
                                r"(?:" + alternatives(rows, "hold_noun_verb") + r")\s*(?:các\s+|cuộc\s+|buổi\s+)?$",
                                re.IGNORECASE),
        # A trigger inside a venue name ("Trung tâm Hội nghị tỉnh") is no event.
        venue_before=re.compile(r"(?:" + alternatives(rows, "venue_before") + r")\s+$", re.IGNORECASE),
        # "Quốc hội thảo luận": a trigger starting with "hội" glued to the word before it.
        glued_hoi=re.compile(r"(?:" + alternatives(rows, "glued_hoi") + r")\s+$", re.IGNORECASE),
        # A name ends at a clause boundary; ", " before a capital opens the main clause ("tại buổi sơ kết X, Ban Y
        # cho biết"). The stop words match in any case (an all-caps heading: "HỘI NGHỊ ... TẠI HÀ NỘI"); the
        # capital rule does not.
        name_stop=re.compile(r"[;.\n]|,?\s+(?i:" + alternatives(rows, "name_stop") + r")\s"
                             r"|\s-\s|\(|,\s+(?=[" + UPPER + r"])"),
        attend=re.compile(r"(?:^|[\s,;(])(?:" + alternatives(rows, "attend") + r")\b", re.IGNORECASE),
    )


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern, dict[str, tuple[str, bool]]]:
    table = {row["trigger"].casefold(): (row["kind"], row.get("capital") == "yes")
             for row in load_table("event_types")}
    return re.compile(r"(?<!\w)(?P<t>" + phrase_pattern(table) + r")(?!\w)"), table


register_phrase_family("events", lambda: _triggers()[0], lambda: _triggers()[1])


@lru_cache(maxsize=1)
def _verbs() -> tuple[re.Pattern, dict[str, dict[str, str]]]:
    """Event verbs (event_verbs.tsv), scanned only in sentences that open with a date."""
    table = {row["verb"].casefold(): row for row in load_table("event_verbs")}
    return re.compile(r"(?<!\w)(?P<t>" + phrase_pattern(table) + r")(?!\w)"), table


@lru_cache(maxsize=1)
def _venue_place_cue() -> re.Pattern:
    """"tại trụ sở Công an TP.HCM": a place named inside the venue (venue_heads.tsv) the occasion is held at."""
    heads = [row["head"].casefold() for row in load_table("venue_heads")]
    return re.compile(r"(?<!\w)tại\s+" + phrase_pattern(heads) + r"\s+[^,;:.()]{0,50}$",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _verb_cues() -> tuple[re.Pattern, re.Pattern]:
    """Words that keep an event verb from reporting the occasion (event_verb_cues.tsv), scanned on lowered
    text: one anywhere between the opening date and the verb, one right before the verb."""
    rows = load_table("event_verb_cues")
    between = [row["cue"] for row in rows if row["where"] == "between"]
    before = [row["cue"] for row in rows if row["where"] == "before"]
    return (re.compile(r"(?<!\w)(?:" + phrase_pattern(between) + r")(?!\w)"),
            re.compile(r"(?<!\w)(?:" + phrase_pattern(before) + r")\s+$"))


@lru_cache(maxsize=1)
def _honorifics() -> tuple[str, ...]:
    return tuple(row["form"].casefold() for row in load_table("honorifics"))


def _named_object(doc: ArticleText, end: int, leads: list[str]) -> bool:
    """A named counterpart right after a verb: a capitalised word, an honorific or a listed lead word."""
    rest = doc.text[end:end + 40].lstrip()
    if rest[:1].isupper():
        return True
    low = rest.casefold()
    return any(low.startswith(word) and not low[len(word):len(word) + 1].isalnum()
               for word in (*leads, *_honorifics()))


@dataclass
class _Event:
    kind: str
    name: str
    start: int
    end: int
    sentence: int
    date: DateValue | None
    places: list[str] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)
    # Where the text reports it (sentence, trigger start): the first mention, and the dated mention that
    # gave an undated headline event its date; places and organisers are read there.
    anchors: list[tuple[int, int]] = field(default_factory=list)
    chairs: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)


def _add(items: list[str], value: str | None) -> None:
    if value and value not in items:
        items.append(value)


def _trigger_ok(doc: ArticleText, found: re.Match, capital: bool) -> bool:
    if not capital:
        return True
    text = doc.text[found.start():found.end()]
    nxt = re.match(r"\s+(\S+)", doc.text[found.end():found.end() + 40])
    next_word = nxt.group(1) if nxt else ""
    if found.group("t").casefold() == "tiếp":  # noqa: the one trigger that is also a common verb
        prev = re.search(r"(\S+)\s+$", doc.text[max(0, found.start() - 40):found.start()])
        prev_word = prev.group(1) if prev else ""
        return bool(prev_word[:1].isupper() and (next_word[:1].isupper() or next_word.casefold() == "đoàn"))
    if re.search(r"(?:phần|nghi|ngày)\s+$", doc.match[max(0, found.start() - 8):found.start()], re.IGNORECASE):
        return False  # "phần lễ", "nghi lễ": part of a programme, not an occasion
    return text[:1].isupper() or next_word[:1].isupper()


def _event_name(doc: ArticleText, start: int, sentence_end: int) -> str:
    window = doc.match[start:min(sentence_end, start + 400)]
    # Quoted titles belong to the name even when they hold commas or stop words.
    cut, pos = len(window), 0
    while pos < len(window):
        stop = _cue_patterns().name_stop.search(window, pos)
        if not stop:
            break
        quotes = window[:stop.start()].count('"')
        if quotes % 2 == 1:
            close = window.find('"', stop.start())
            pos = close + 1 if close >= 0 else len(window)
            continue
        cut = stop.start()
        break
    name = doc.text[start:start + cut].strip(" ,:;")
    if len(name) > 200:
        comma = name.rfind(",", 0, 200)
        name = name[:comma if comma > 20 else 200].strip()
    name = re.sub(r"\s+", " ", name)
    return name[:1].upper() + name[1:]


def _date_before(doc: ArticleText, sent: Sentence, trigger_start: int, dates: list[DateMention]):
    """The date a sentence opens with, or one followed by a 'hold' verb before the trigger."""
    for mention in dates:
        if not (sent.start <= mention.span.start and mention.span.end <= trigger_start):
            continue
        value = mention.value
        if not (value.month and value.day) or trigger_start - mention.span.end > 300:
            continue
        before = doc.match[max(sent.start, mention.span.start - 40):mention.span.start]
        after = doc.match[mention.span.end:mention.span.end + 6]
        if _NOT_EVENT_DATE_BEFORE.search(before) or _NOT_EVENT_DATE_AFTER.match(after) or \
                _SOURCE_DATE_BEFORE.match(doc.match, sent.start, mention.span.start):
            continue
        if before.endswith("(") and not re.search(r"(?:nay|qua|mai)\s*\($", before, re.IGNORECASE):
            continue  # "(19/8)", "(19/8/1945 - 19/8/2020)": an anniversary, not the meeting's date
        between = doc.match[mention.span.end:trigger_start]
        if ";" in between:
            continue
        opening = mention.span.start - sent.start <= 40 or bool(
            _TIME_ADVERBIAL.search(before) and _ADVERBIAL_END.match(doc.match, mention.span.end))
        if opening or _cue_patterns().hold_between.search(between):
            return mention  # the first: "khai mạc ngày 10/3 và bế mạc ngày 13/3" opens on the 10th
    return None


def _opening_date(doc: ArticleText, sent: Sentence, dates: list[DateMention]):
    """The date a sentence opens with ("Chiều 2/6, ..."), when it can be an occasion's date."""
    for mention in dates:
        if mention.span.start - sent.start > 40:
            break
        value = mention.value
        if mention.span.start < sent.start or not (value.month and value.day):
            continue
        before = doc.match[sent.start:mention.span.start]
        if _NOT_EVENT_DATE_BEFORE.search(before) or _NOT_EVENT_DATE_AFTER.match(
                doc.match[mention.span.end:mention.span.end + 6]) or before.endswith("(") or \
                _SOURCE_DATE_BEFORE.match(doc.match, sent.start, mention.span.start):
            continue
        return mention
    return None


def _verb_triggers(doc: ArticleText, sent: Sentence, low: str, opening: DateMention | None) -> list[re.Match]:
    """Event verbs after the opening date of a sentence, in the clause the date opens."""
    if opening is None:
        return []
    pattern, table = _verbs()
    reported, not_act = _verb_cues()
    # A ';' or a reporting cue after the date blocks every verb after it: found once, not per verb.
    semicolon = low.find(";", opening.span.end, sent.end)
    cue = reported.search(low, opening.span.end, sent.end)
    blocked = min(semicolon if semicolon >= 0 else sent.end, cue.end() if cue else sent.end)
    out = []
    for verb in pattern.finditer(low, opening.span.end, sent.end):
        if verb.start() >= blocked:
            break
        row = table[" ".join(verb.group("t").split())]
        if not_act.search(low, max(sent.start, verb.start() - 12), verb.start()):
            continue
        if row.get("object") == "named" and not _named_object(doc, verb.end(), values(row.get("leads"))):
            continue
        out.append(verb)
    return out


def _date_after(doc: ArticleText, trigger_end: int, sent: Sentence, dates: list[DateMention]):
    for mention in dates:
        if trigger_end <= mention.span.start < sent.end and mention.value.month and mention.value.day:
            # The cue ends right at the date, so its last 120 characters are enough to look at
            # (the whole stretch would make a long sentence with many triggers quadratic).
            if _DATE_AFTER_TRIGGER.search(doc.match[max(trigger_end, mention.span.start - 120):mention.span.start]):
                return mention
            if mention.span.start - trigger_end > 160:
                break
    return None


def _plausible(value: DateValue | None, year: int | None) -> bool:
    """An event date the article reports, not a past anniversary."""
    if value is None:
        return False
    return not (value.year and year and value.year < year - 1)


def _fill_place_and_organizers(doc: ArticleText, sent: Sentence, trigger_start: int, event: _Event,
                               places: dict[int, list], orgs: dict[int, list], in_positions: list) -> None:
    for place in places.get(sent.index, []):
        before = doc.match[max(sent.start, place.span.start - 80):place.span.start]
        if _PLACE_CUE.search(before[-40:]) or _venue_place_cue().search(before):
            _add(event.places, place.name)
    for org in orgs.get(sent.index, []):
        before = doc.match[max(sent.start, org.span.start - 40):org.span.start]
        if org.span.end <= trigger_start and not _PLACE_CUE.search(before) and not _venue_place_cue().search(
                before) and not before.endswith("/") and not any(  # "/TTXVN": a photo credit's agency
                s <= org.span.start and org.span.end <= e for s, e in in_positions):
            _add(event.organizers, org.name)


def _fill_roles(doc: ArticleText, found: Extraction, events: list[_Event]) -> None:
    if not events:
        return
    by_sentence: dict[int, list] = {}
    for person in found.people:
        by_sentence.setdefault(person.span.sentence, []).append(person)
    orgs: dict[int, list] = {}
    for org in found.organizations:
        orgs.setdefault(org.span.sentence, []).append(org)
    places: dict[int, list] = {}
    for place in found.places:
        places.setdefault(place.span.sentence, []).append(place)
    # a body named in a person's position ("Ủy viên Bộ Chính trị") does not organise what the person attends
    in_positions = [(p.span.start, p.span.end) for person in found.people for p in person.positions]
    anchors: dict[int, list[tuple[_Event, int]]] = {}
    for target in events:
        for index, trigger_start in target.anchors:
            anchors.setdefault(index, []).append((target, trigger_start))
    first_sentence = min(e.sentence for e in events)
    latest = 0  # events are read in sentence order: the last one read by this sentence
    for sent in doc.sentences:
        if sent.index < first_sentence:
            continue
        while latest + 1 < len(events) and events[latest + 1].sentence <= sent.index:
            latest += 1
        event = events[latest]
        text = doc.match[sent.start:sent.end]
        for target, trigger_start in anchors.get(sent.index, []):
            _fill_place_and_organizers(doc, sent, trigger_start, target, places, orgs, in_positions)
        people = by_sentence.get(sent.index, [])
        if not people:
            continue
        chair = _CHAIR_CUE.search(text)
        attend = _cue_patterns().attend.search(text)
        speak = _SPEAK_CUE.search(text)
        for person in people:
            offset = person.span.start - sent.start
            if chair and (offset < chair.start() or (attend and attend.start() <= chair.start())):
                _add(event.chairs, person.name)
            elif attend and offset > attend.start():
                _add(event.attendees, person.name)
            if speak and abs(offset - speak.start()) < 120 and sent.index - event.sentence < 40:
                _add(event.speakers, person.name)


def find_events(doc: ArticleText, found: Extraction) -> list[EventMention]:
    pattern, table = _triggers()
    _, verb_table = _verbs()
    year = found.reference_year
    events: list[_Event] = []
    low = lowered(doc.match)
    by_sentence: dict[int, list[re.Match]] = {}
    for trig in phrase_matches("events", low):
        by_sentence.setdefault(doc.sentence_index(trig.start()), []).append(trig)
    dates_by_sentence: dict[int, list[DateMention]] = {}
    for mention in found.dates:
        dates_by_sentence.setdefault(doc.sentence_index(mention.span.start), []).append(mention)
    lead_end = lead_end_offset(doc)  # only a headline or lead event takes the date of a later mention
    verbs_by_sentence: dict[int, tuple[DateMention, list[re.Match]]] = {}
    for index, sent in enumerate(doc.sentences):
        opening = _opening_date(doc, sent, dates_by_sentence.get(index, []))
        verbs = _verb_triggers(doc, sent, low, opening)
        if verbs:
            verbs_by_sentence[index] = (opening, verbs)
    for index in sorted(set(by_sentence) | set(verbs_by_sentence)):
        if not doc.sentences:
            break
        sent = doc.sentences[index]
        opening, verbs = verbs_by_sentence.get(index, (None, []))
        # Trigger nouns first: a verb only reports an occasion the sentence names no other way.
        for trig, verb_row in [(t, None) for t in by_sentence.get(index, [])] + [
                (v, verb_table[" ".join(v.group("t").split())]) for v in verbs]:
            lead_in = doc.match[max(sent.start, trig.start() - 40):trig.start()]
            if verb_row is None:
                kind, capital = table[" ".join(trig.group("t").casefold().split())]
                before = doc.match[max(0, trig.start() - 12):trig.start()]
                cues = _cue_patterns()
                if not _trigger_ok(doc, trig, capital) or cues.venue_before.search(before) or (
                        trig.group("t").startswith("hội") and cues.glued_hoi.search(before)) or _COMMITTEE_BEFORE.search(
                        doc.match[max(0, trig.start() - 30):trig.start()]):
                    continue
                if _cue_patterns().hold_as_noun.search(lead_in):
                    continue  # organising spoken of in general, or called off: whatever the date, not held
                in_sentence = dates_by_sentence.get(index, [])
                mention = _date_before(doc, sent, trig.start(), in_sentence) or _date_after(
                    doc, trig.end(), sent, in_sentence)
            else:
                kind = verb_row["kind"]
                hold = _cue_patterns().hold_between.match(low, trig.start())
                if hold and _cue_patterns().hold_as_noun.search(doc.match[max(sent.start, trig.start() - 40):hold.end()]):
                    continue
                mention = opening
            date = complete(mention.value, doc, year) if mention else None
            if date is None and _RELATIVE_TODAY.match(doc.match[sent.start:sent.end]) and doc.published \
                    and doc.published.day:
                date = doc.published  # "Sáng nay, ..." is the day of publication
            if date is not None and not _plausible(date, year):
                date = None
            held = verb_row is None and bool(_cue_patterns().hold_just_before.search(lead_in[-30:]))
            same = next((e for e in events if e.date == date or (date is None and e.kind == kind)), None)
            if date is None and not held:
                continue  # a later mention of an event already read, or no event at all
            if same is not None and (date is not None or same.kind == kind):
                continue
            undated = next((e for e in events if e.date is None and e.kind == kind
                            and doc.sentences[e.sentence].start < lead_end), None)
            if undated is not None and date is not None:
                undated.date = date  # the headline's event, dated by the lead that reports it
                undated.anchors.append((sent.index, trig.start()))
                break
            if verb_row is None:
                name = _event_name(doc, trig.start(), sent.end)
            else:  # "làm việc với Ban X" is "Buổi làm việc với Ban X"
                at = _SPACES.match(doc.text, trig.end(), sent.end).end()
                rest = _event_name(doc, at, sent.end) if at > trig.end() else ""
                name = verb_row["name"] + (" " + doc.text[at] + rest[1:] if rest else "")
                name = name[:1].upper() + name[1:]
            events.append(_Event(kind, name, trig.start(), trig.end(), sent.index, date,
                                 anchors=[(sent.index, trig.start())]))
            break  # one event per sentence: further triggers in it name parts of the same occasion
    _fill_roles(doc, found, events)
    return [EventMention(e.kind, e.name, doc.text[e.start:e.end], doc.span(e.start, e.end), e.date,
                         tuple(e.places), tuple(e.organizers), tuple(e.chairs), tuple(e.attendees),
                         tuple(e.speakers)) for e in events]


# --------------------------------------------------------------------------------------------------
# Dated happenings: what a clause tells on the day that opens it, when it is no occasion or incident.

_CLOCK_BEFORE = re.compile(r"\d{1,2}\s*(?:h|g|giờ)(?:\s*\d{1,2})?(?:\s*(?:phút|'|’))?\s*$")
_CLOCK = re.compile(r"\d{1,2}\s*(?:h|g|giờ)(?!\w)")
_HAPPENING_NAME_MAX = 160
# "ngày 30/9 tới, ..." is a coming day, not the start of a range "30/9 tới 2/10"
_COMING_DAY = re.compile(r"\s*tới\s*(?:đây\s*)?[,.;)]", re.IGNORECASE)


class _HappeningCues(NamedTuple):
    time: re.Pattern  # one time word at the end of the text before a date
    opening: re.Pattern
    relative: re.Pattern
    not_before: re.Pattern
    not_after: re.Pattern
    statement: re.Pattern


@lru_cache(maxsize=1)
def _happening_cues() -> _HappeningCues:
    rows = load_table("event_happenings")

    def words(kind: str) -> str:
        return phrase_pattern([row["cue"] for row in rows if row["kind"] == kind])

    return _HappeningCues(
        time=re.compile(r"(?<!\w)(?:" + words("time") + r")\s*$"),
        opening=re.compile(r"^\W*(?:" + words("opening") + r")\s*$"),
        relative=re.compile(r"(?<!\w)(?:" + words("relative") + r")\s*\(\s*$"),
        not_before=re.compile(r"(?<!\w)(?:" + words("not_before") + r")\s*$"),
        not_after=re.compile(r"\s*\)?\s*(?:" + words("not_after") + r")(?!\w)"),
        statement=re.compile(r"(?<!\w)(?:" + words("statement") + r")(?!\w)"),
    )


def _clause_time(doc: ArticleText, low: str, sent: Sentence, mention: DateMention) -> bool:
    """Whether a date is the time of its clause: after time words ("vào tối ngày 21/6", "hôm 6/2", "khoảng 22h
    ngày 24/5"), or opening the sentence or a clause ("Ngày 9.7, ...", ", 21/5, ..."), or in brackets after a
    relative day ("hôm qua (13/3)"); never a bound, a deadline, a birth day or a document's date."""
    cues = _happening_cues()
    clause = max(sent.start, low.rfind(";", sent.start, mention.span.start) + 1)
    lead = low[max(clause, mention.span.start - 60):mention.span.start]
    if lead.rstrip().endswith("("):
        return bool(cues.relative.search(lead))  # "(19/8)" after a name is an anniversary, "hôm qua (13/3)" a day
    rest, timed = lead, False
    while True:  # peel the time words off: "vào khoảng 16 giờ 30 ngày", "sáng nay"
        stripped = rest.rstrip(" ,")
        found = cues.time.search(stripped) or _CLOCK_BEFORE.search(stripped)
        if not found:
            break
        rest, timed = stripped[:found.start()], True
    # "Đến ngày 23/12, ..." opens a clause; "từ ... đến ngày 31/7" bounds a period
    opening = mention.span.start - 60 <= clause and bool(cues.opening.match(rest))
    bound = _NOT_EVENT_DATE_BEFORE.search(doc.match[max(sent.start, mention.span.start - 40):mention.span.start])
    if bound and _CLOCK.match(bound.group()):
        bound = None  # "14h ngày 30/9": a time of day, not a document's number
    if not opening and (cues.not_before.search(rest.rstrip(" ,")) or bound):
        return False
    if timed or opening:
        return True
    return not rest.strip(" ,:-–\"“”'(") or rest.rstrip().endswith(",")


def find_happenings(doc: ArticleText, found: Extraction) -> list[EventMention]:
    """Dated happenings (event_happenings.tsv): a day and month that time a clause date what the clause tells, a
    statement when a verb of saying follows in the clause ("Ngày 7/2, đại tá X cho biết ..."), else an event
    ("Ngày 21/4, người dân trả tự do ông Y"). Only days no occasion or incident of the article has already; one
    happening a day. Run after the incidents, so that a dated crime or arrest stays what it is."""
    if not doc.sentences:
        return []
    cues = _happening_cues()
    # as for incidents, a year-less day takes only the publication year: a happening is often told as a story's
    # past, and a year read elsewhere in the text may be another's
    year = doc.published.year if doc.published else None
    low = lowered(doc.match)
    document_ends = [d.span.end for d in found.documents]
    taken = {(e.date.month, e.date.day) for e in (*found.events, *found.incidents) if e.date}
    places: dict[int, list] = {}
    for place in found.places:
        places.setdefault(place.span.sentence, []).append(place)
    people: dict[int, list] = {}
    for person in found.people:
        people.setdefault(person.span.sentence, []).append(person)
    out: list[EventMention] = []
    for mention in found.dates:
        value = mention.value
        if not (value.month and value.day) or (value.month, value.day) in taken:
            continue
        sent = doc.sentences[mention.span.sentence]
        if cues.not_after.match(low, mention.span.end) or (_NOT_EVENT_DATE_AFTER.match(
                doc.match, mention.span.end) and not _COMING_DAY.match(doc.match, mention.span.end)) or any(0 <= mention.span.start - end <= 30 for end in document_ends):
            continue
        if not _clause_time(doc, low, sent, mention):
            continue
        date = complete(value, doc, year)
        if not _plausible(date, found.reference_year):
            continue  # a past anniversary
        clause_end = low.find(";", mention.span.end, sent.end)
        clause_end = min(sent.end, mention.span.end + 200) if clause_end < 0 else clause_end
        said = cues.statement.search(low, mention.span.end, clause_end)
        before = cues.statement.search(low, max(sent.start, mention.span.start - 30), mention.span.start)
        kind = "statement" if said or before else "event"
        taken.add((value.month, value.day))
        event = _Event(kind, _happening_name(doc, sent, mention), mention.span.start, mention.span.end,
                       sent.index, date)
        for place in places.get(sent.index, []):
            lead_in = doc.match[max(sent.start, place.span.start - 80):place.span.start]
            if _PLACE_CUE.search(lead_in[-40:]) or _venue_place_cue().search(lead_in):
                _add(event.places, place.name)
        if said:  # who says it: the people named between the day and the verb of saying
            for person in people.get(sent.index, []):
                if mention.span.end <= person.span.start < said.start():
                    _add(event.speakers, person.name)
        out.append(EventMention(kind, event.name, doc.text[event.start:event.end],
                                doc.span(event.start, event.end), date, tuple(event.places), (), (), (),
                                tuple(event.speakers)))
    return out


def _happening_name(doc: ArticleText, sent: Sentence, mention: DateMention) -> str:
    """The clause the day times, as written: what follows the date, else (a date at the clause's end) what
    comes before it."""
    after = doc.text[mention.span.end:sent.end].lstrip(" ,):").rstrip(" .;")
    text = after if len(after) > 12 else doc.text[sent.start:mention.span.start].strip(" ,(")
    text = re.sub(r"\s+", " ", text).strip(" ,:;-–\"“”")
    if len(text) > _HAPPENING_NAME_MAX:
        cut = text.rfind(" ", 0, _HAPPENING_NAME_MAX)
        text = text[:cut if cut > 20 else _HAPPENING_NAME_MAX].rstrip(" ,:;-–")
    text = text or doc.text[mention.span.start:mention.span.end]
    return text[:1].upper() + text[1:]
