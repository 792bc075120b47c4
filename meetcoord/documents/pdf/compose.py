"""Minutes (notulen) composition: a pure function from a meeting's snapshot to the text.

``compose_minutes`` turns a ``MinutesData`` (plain values, read from the database by
``meetcoord.documents.sources``) into a ``MinutesDocument``: every string the formal
Indonesian layout prints, already formatted ("Jumat, 15 Maret 2024", "09.00–12.00 WITA"),
with totals summed. Keeping it free of Flask and the database lets the layout be tested
from hand-built data, lets the renderer stay a pure layout step, and means a frozen draft
can be re-rendered from a stored snapshot and give the same document.

The document is always Indonesian (a formal record), so labels are plain constants here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date

from meetcoord.core.timezones import format_long_date, format_time_in_zone, zone_label
from meetcoord.documents.pdf.matrix import MatrixRowData

KIND_LABELS = {
    "coordination": "Rapat Koordinasi",
    "musrenbang_sync": "Sinkronisasi Musrenbang",
    "evaluation": "Rapat Evaluasi",
    "knowledge_sharing": "Berbagi Pengetahuan",
    "signing": "Penandatanganan Kesepakatan",
    "other": "Rapat",
}
DECISION_KIND_LABELS = {
    "consensus": "Mufakat",
    "vote": "Pemungutan suara",
    "noted": "Dicatat",
    "deferred": "Ditunda",
}
GENDERS = ("male", "female", "unknown")
ONLINE = "Daring"


# --- the snapshot -------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteData:
    """A linked venue (or the online participants) and the zone its clock shows."""

    name: str
    zone: str  # IANA id, e.g. "Asia/Makassar"
    address: str | None = None
    online: bool = False


@dataclass(frozen=True)
class SiteAttendance:
    """Who was present at one site: totals by category (Indonesian label) and gender."""

    site: str
    total: int
    by_category: dict[str, int] = field(default_factory=dict)
    by_gender: dict[str, int] = field(default_factory=dict)  # male | female | unknown


@dataclass(frozen=True)
class QuestionData:
    """A question answered in the meeting (issue 15): asked from a phone, moderated."""

    text: str
    asker: str  # "Name (Organization)", or "Anonim"
    votes: int = 0
    answer: str | None = None  # the chair's short note


@dataclass(frozen=True)
class MaterialData:
    """A material attached to the item (issue 15): listed by name, kind and size."""

    filename: str
    kind: str  # pdf, pptx, …
    size: int  # bytes


@dataclass(frozen=True)
class AgendaData:
    number: int
    title: str
    presenter: str | None = None
    notes: str = ""  # the minute-taker's notes, paragraphs separated by blank lines
    questions: list[QuestionData] = field(default_factory=list)  # answered, in order
    materials: list[MaterialData] = field(default_factory=list)


@dataclass(frozen=True)
class TallyData:
    site: str
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0


@dataclass(frozen=True)
class DecisionData:
    number: int
    text: str
    kind: str  # consensus | vote | noted | deferred
    agenda_number: int | None = None
    tallies: list[TallyData] = field(default_factory=list)


@dataclass(frozen=True)
class ActionData:
    title: str
    agency: str
    person: str | None = None
    locus: str | None = None
    due_on: date | None = None
    decision_number: int | None = None


@dataclass(frozen=True)
class ReviewData:
    """An earlier meeting's action as this meeting reviewed it (carry-over, issue 13):
    statuses as the tracker names them (Indonesian labels), notes said in the meeting."""

    title: str
    agency: str
    due_on: date | None
    before: str  # "Terbuka"
    after: str  # "Selesai"; the same as ``before`` when the meeting did not move it
    note: str = ""


@dataclass(frozen=True)
class WithdrawnData:
    """A decision or action withdrawn in the live room: not among the minutes' decisions
    and actions, but on record with who withdrew it, when, and why (issue 11)."""

    kind: str  # decision | action
    text: str
    reason: str
    by: str
    at: datetime  # UTC, aware
    number: int | None = None  # a decision's number in the meeting
    agency: str | None = None  # an action's agency


@dataclass(frozen=True)
class AttendeeData:
    """One line of the attendance list appendix, already in the site's own time."""

    name: str
    organization: str | None
    position: str | None
    site: str
    time_in: str  # "09.05 WITA"
    gender_short: str = ""  # L | P | ""
    category: str = ""
    stand_in: str | None = None  # "diwakili oleh …"


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes print, as plain values: a snapshot of one meeting."""

    institution: str
    title: str
    kind: str
    start_at: datetime  # UTC, aware
    end_at: datetime
    host_zone: str
    sites: list[SiteData]
    address: str | None = None
    logo: str | None = None
    purpose: str | None = None
    chair: str | None = None
    minute_taker: str | None = None
    attendance: list[SiteAttendance] = field(default_factory=list)
    agenda: list[AgendaData] = field(default_factory=list)
    decisions: list[DecisionData] = field(default_factory=list)
    actions: list[ActionData] = field(default_factory=list)
    attendees: list[AttendeeData] = field(default_factory=list)
    quorum: str | None = None  # "kuorum terpenuhi (…)"; None: the meeting set no rule
    withdrawn: list[WithdrawnData] = field(default_factory=list)
    review: list[ReviewData] = field(default_factory=list)
    # the synchronisation matrix (issue 14), taken again when the document is frozen
    matrix: list[MatrixRowData] = field(default_factory=list)


# --- the document -------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteLine:
    """ "Aula Bappeda SBD: Jumat, 15 Maret 2024, 09.00–12.00 WITA"."""

    name: str
    address: str | None
    day: str
    time: str
    zone_label: str


@dataclass(frozen=True)
class Totals:
    total: int
    by_category: dict[str, int]
    by_gender: dict[str, int]


@dataclass(frozen=True)
class TallyLine:
    site: str
    votes_for: int
    votes_against: int
    abstentions: int


@dataclass(frozen=True)
class DecisionLine:
    number: int
    text: str
    kind_label: str
    agenda_title: str | None
    tallies: list[TallyLine]
    total: TallyLine | None  # None when no votes were counted


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    agency: str  # "Dinas Sosial SBD (Kepala Bidang Bansos)" when a person is named
    locus: str
    due: str  # "30 April 2024" or "-"


@dataclass(frozen=True)
class ReviewLine:
    number: int
    title: str
    agency: str
    due: str
    status: str  # "Terbuka → Selesai", or "Terbuka (tetap)"
    note: str


@dataclass(frozen=True)
class WithdrawnLine:
    """ "Kesepakatan 2 dicabut oleh Maria Kaka, Jumat, 15 Maret 2024 10.20 WITA"."""

    heading: str
    text: str
    reason: str


@dataclass(frozen=True)
class MinutesDocument:
    institution: str
    address: str | None
    logo: str | None
    heading: str  # "NOTULEN RAPAT"
    title: str
    kind_label: str
    day: str  # at the host site
    sites: list[SiteLine]
    chair: str
    minute_taker: str
    participants: str  # "28 orang (Aula …: 20, Kantor …: 8)"
    attendance: list[SiteAttendance]
    totals: Totals
    categories: list[str]  # category columns present anywhere, in first-seen order
    agenda: list[AgendaData]
    decisions: list[DecisionLine]
    actions: list[ActionLine]
    attendees: list[AttendeeData]
    purpose: str | None = None
    withdrawn: list[WithdrawnLine] = field(default_factory=list)
    review: list[ReviewLine] = field(default_factory=list)
    matrix: list[MatrixRowData] = field(default_factory=list)


# --- formatting ---------------------------------------------------------------------------

DASH = "-"


def time_range(start: datetime, end: datetime, zone: str) -> str:
    """ "09.00–12.00 WITA": both ends in the zone, its label once at the end."""
    first = format_time_in_zone(start, zone).split(" ")[0]
    return f"{first}–{format_time_in_zone(end, zone)}"


def due_date(value: date | None) -> str:
    """ "30 April 2024"; a missing deadline prints as a dash, as on paper."""
    return format_date(value, "d MMMM y", locale="id") if value else DASH


def _sum(parts: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in parts:
        for key, n in part.items():
            out[key] = out.get(key, 0) + n
    return out


def attendance_totals(rows: list[SiteAttendance]) -> Totals:
    """All sites together; every gender key present so a table has its three columns."""
    by_gender = dict.fromkeys(GENDERS, 0) | _sum([r.by_gender for r in rows])
    return Totals(sum(r.total for r in rows), _sum([r.by_category for r in rows]), by_gender)


def _participants(rows: list[SiteAttendance], total: int) -> str:
    if not rows:
        return f"{total} orang"
    per_site = ", ".join(f"{r.site}: {r.total}" for r in rows)
    return f"{total} orang ({per_site})"


def _decision(d: DecisionData, titles: dict[int, str]) -> DecisionLine:
    tallies = [TallyLine(t.site, t.votes_for, t.votes_against, t.abstentions) for t in d.tallies]
    total = (
        TallyLine(
            "Jumlah",
            sum(t.votes_for for t in tallies),
            sum(t.votes_against for t in tallies),
            sum(t.abstentions for t in tallies),
        )
        if tallies
        else None
    )
    return DecisionLine(
        d.number,
        d.text,
        DECISION_KIND_LABELS.get(d.kind, d.kind),
        titles.get(d.agenda_number) if d.agenda_number is not None else None,
        tallies,
        total,
    )


def _action(number: int, a: ActionData) -> ActionLine:
    agency = f"{a.agency} ({a.person})" if a.person else a.agency
    return ActionLine(number, a.title, agency, a.locus or DASH, due_date(a.due_on))


def _review(number: int, r: ReviewData) -> ReviewLine:
    status = f"{r.before} → {r.after}" if r.before != r.after else f"{r.before} (tetap)"
    return ReviewLine(number, r.title, r.agency, due_date(r.due_on), status, r.note or DASH)


def _withdrawn(w: WithdrawnData, zone: str) -> WithdrawnLine:
    what = f"Kesepakatan {w.number}" if w.kind == "decision" else "Tindak lanjut"
    when = f"{format_long_date(w.at, zone)} {format_time_in_zone(w.at, zone)}"
    text = f"{w.text} ({w.agency})" if w.agency else w.text
    return WithdrawnLine(f"{what} dicabut oleh {w.by}, {when}", text, w.reason)


def compose_minutes(data: MinutesData) -> MinutesDocument:
    """The minutes' text from the snapshot; the same data always gives the same document."""
    sites = [
        SiteLine(
            s.name,
            s.address,
            format_long_date(data.start_at, s.zone),
            time_range(data.start_at, data.end_at, s.zone),
            zone_label(s.zone, data.start_at),
        )
        for s in data.sites
    ]
    totals = attendance_totals(data.attendance)
    categories: list[str] = []
    for row in data.attendance:
        categories += [c for c, n in row.by_category.items() if n and c not in categories]
    titles = {item.number: item.title for item in data.agenda}
    return MinutesDocument(
        institution=data.institution,
        address=data.address,
        logo=data.logo,
        heading="NOTULEN RAPAT",
        title=data.title,
        kind_label=KIND_LABELS.get(data.kind, KIND_LABELS["other"]),
        day=format_long_date(data.start_at, data.host_zone),
        sites=sites,
        chair=data.chair or DASH,
        minute_taker=data.minute_taker or DASH,
        participants=_participants(data.attendance, totals.total)
        + (f"; {data.quorum}" if data.quorum else ""),
        attendance=list(data.attendance),
        totals=totals,
        categories=categories,
        agenda=sorted(data.agenda, key=lambda item: item.number),
        decisions=[_decision(d, titles) for d in sorted(data.decisions, key=lambda d: d.number)],
        actions=[_action(n, a) for n, a in enumerate(data.actions, start=1)],
        attendees=list(data.attendees),
        purpose=data.purpose,
        withdrawn=[_withdrawn(w, data.host_zone) for w in data.withdrawn],
        review=[_review(n, r) for n, r in enumerate(data.review, start=1)],
        matrix=list(data.matrix),
    )
