"""Plain data classes passed between the pipeline stages.

ingest -> Article -> extract -> Extraction (mentions) -> resolve -> graph (quads)

Character offsets (``start``/``end``) always index ``Article.full_text``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One cleaned news article, as read by ingest."""

    id: str
    title: str
    text: str
    sapo: str = ""
    published: str | None = None  # ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY
    source: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    origin: str = ""  # where it was read from: "file" or "file:line"

    @property
    def full_text(self) -> str:
        """Title, lead and body joined by blank lines; every offset points into this."""
        return "\n\n".join(part for part in (self.title, self.sapo, self.text) if part)

    @property
    def content_hash(self) -> str:
        """Hash of everything that feeds the graph (not ``origin``), for incremental builds."""
        payload = json.dumps(
            [self.id, self.title, self.sapo, self.text, self.published, self.source,
             list(self.authors), self.url],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IngestProblem:
    """An input (or part of one) that could not become an article."""

    origin: str  # file, or file:line
    reason: str
    article_id: str | None = None


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Span:
    """Where a mention was read: character offsets in full_text and the sentence holding it."""

    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class DateValue:
    """A calendar date as far as the text states it; never a guessed year."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """ISO / XSD lexical form: 2022-08-08, 2022-08, --08-19 or 2022."""
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.month and self.day:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.year:
            return f"{self.year:04d}"
        return ""

    @property
    def xsd_type(self) -> str:
        """Local name of the XSD datatype for iso()."""
        if self.year and self.month and self.day:
            return "date"
        if self.year and self.month:
            return "gYearMonth"
        if self.month and self.day:
            return "gMonthDay"
        return "gYear"


@dataclass(frozen=True)
class DateMention:
    value: DateValue
    text: str
    span: Span


@dataclass(frozen=True)
class NumberMention:
    value: int | float
    text: str
    span: Span


@dataclass(frozen=True)
class OrgMention:
    name: str  # canonical full name (gazetteer name, or expanded and tidied written form)
    text: str  # as written
    span: Span
    abbreviation: str | None = None
    kind: str | None = None  # e.g. ministry, party, youth, police, government, people-committee
    parent: str | None = None  # canonical name of the parent body when the text states it
    place: str | None = None  # canonical place name for local bodies (Công an tỉnh X)


@dataclass(frozen=True)
class PlaceMention:
    name: str  # canonical name (gazetteer) without the administrative word
    text: str
    span: Span
    kind: str | None = None  # province, city, region, country, venue, district


@dataclass(frozen=True)
class Position:
    title: str  # canonical title from the lexicon: "Thứ trưởng", "Phó Chủ tịch"
    organization: str | None  # canonical org name, or None when the text gives none
    text: str
    span: Span


@dataclass(frozen=True)
class PersonMention:
    name: str  # full name as resolved inside the article
    text: str
    span: Span
    rank: str | None = None  # canonical rank: "Trung tướng"
    positions: tuple[Position, ...] = ()
    foreign: bool = False


@dataclass(frozen=True)
class DocumentMention:
    doc_type: str  # canonical: "Kế hoạch", "Quyết định", "Nghị quyết", "Chỉ thị"
    number: str  # "333/KH-BCĐ", "12"
    text: str
    span: Span
    date: DateValue | None = None
    issuer: str | None = None  # canonical org name
    subject: str | None = None  # "về ..." when stated


@dataclass(frozen=True)
class ProgramMention:
    kind: str  # program | movement | project | campaign
    name: str
    text: str
    span: Span
    start_year: int | None = None
    end_year: int | None = None
    launched_by: str | None = None  # canonical org name


@dataclass(frozen=True)
class EventMention:
    kind: str  # conference | ceremony | congress | meeting | visit | training | event
    name: str  # "Hội nghị tổng kết ..." as written (tidied)
    text: str
    span: Span
    date: DateValue | None = None
    places: tuple[str, ...] = ()  # canonical place names
    organizers: tuple[str, ...] = ()  # canonical org names
    chairs: tuple[str, ...] = ()  # person names
    attendees: tuple[str, ...] = ()  # person names
    speakers: tuple[str, ...] = ()  # person names


@dataclass(frozen=True)
class IncidentParticipant:
    """A person's part in an incident: suspect, defendant, victim, or officer (the one in charge)."""

    name: str  # the people stage's full name, or the name as written when only initials are given
    role: str  # suspect | defendant | victim | officer
    text: str
    span: Span
    shared: bool = True  # False for "Nguyễn Văn H.": a mention of this incident, not resolved across articles


@dataclass(frozen=True)
class Charge:
    """A charge (tội danh) as written, with the Penal Code article when the text gives one."""

    name: str | None  # "Giết người", "Lừa đảo chiếm đoạt tài sản"
    article: int | None = None  # 165 for "Điều 165 Bộ luật Hình sự"
    clause: int | None = None  # 3 for "khoản 3 Điều 134"


@dataclass(frozen=True)
class IncidentMention:
    kind: str  # crime | arrest | prosecution | trial | fire | traffic-accident | disaster
    name: str  # the reporting clause from the trigger ("Tạm giữ hình sự đối với ...")
    text: str  # the trigger as written
    span: Span
    date: DateValue | None = None  # when it happened, as precise as the text
    places: tuple[str, ...] = ()  # canonical place names
    participants: tuple[IncidentParticipant, ...] = ()
    bodies: tuple[tuple[str, str], ...] = ()  # (role, canonical org name): unit | investigator | court | procuracy
    charges: tuple[Charge, ...] = ()
    penalties: tuple[str, ...] = ()  # "12 năm tù", "tử hình", "3 năm tù nhưng cho hưởng án treo"
    deaths: int | None = None
    injuries: int | None = None
    damage: int | float | None = None  # in đồng
    sentences: tuple[int, ...] = ()  # every sentence it was read from (the first is span.sentence)


@dataclass(frozen=True)
class AwardMention:
    award_type: str  # "Bằng khen", "Huân chương Lao động hạng Nhất", "Giấy khen"
    text: str
    span: Span
    givers: tuple[str, ...] = ()  # canonical org names
    collectives: int | None = None
    individuals: int | None = None
    occasion: str | None = None  # what it was for, as written


@dataclass(frozen=True)
class FigureMention:
    value: int | float
    unit: str
    text: str
    span: Span


@dataclass
class Extraction:
    """Everything read from one article; the resolve and graph stages take this."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    organizations: list[OrgMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    documents: list[DocumentMention] = field(default_factory=list)
    programs: list[ProgramMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    awards: list[AwardMention] = field(default_factory=list)
    incidents: list[IncidentMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    reference_year: int | None = None  # year used to complete year-less dates, if the text gives one
