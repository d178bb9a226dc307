"""Participation in joint tenders and whether members kept their commitment."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from members.models import Commitment, Member
from members.selectors import members_bound_to_tenders
from tenders.models import DeclineCategory, Participation, Tender, TenderStatus
from tenders.selectors import decline_counts

from ..periods import Period
from ..tables import Column, Table, share
from ._base import _members, _memoised

# Not answered: still open, or closed at the deadline with no answer (recorded as not taking part).
UNANSWERED = (Participation.Answer.PENDING, Participation.Answer.NO_ANSWER)


@_memoised
def participation_table(period: Period) -> Table:
    """Per member: the joint tenders it was invited to in the period and how it answered."""
    invited = Participation.objects.filter(
        tender__volume_deadline__date__gte=period.start,
        tender__volume_deadline__date__lt=period.end,
    ).exclude(tender__status=TenderStatus.CANCELLED)
    counts = {
        r["member_id"]: r
        for r in invited.values("member_id").annotate(
            invited=Count("pk"),
            joined=Count("pk", filter=Q(answer=Participation.Answer.PARTICIPATE)),
            declined=Count("pk", filter=Q(answer=Participation.Answer.DECLINE)),
            pending=Count("pk", filter=Q(answer__in=UNANSWERED)),
        )
    }
    table = Table(
        "participation",
        _("Participation in joint tenders"),
        [
            Column("member", _("Member")),
            Column("invited", _("Invited"), "number"),
            Column("joined", pgettext("participation", "Joined"), "number"),
            Column("declined", _("Declined"), "number"),
            Column("pending", _("Not answered"), "number"),
            Column("rate", _("Participation rate"), "percent"),
        ],
        note=_("Every joint tender whose participation deadline fell in the period."),
    )
    for m in _members(period):
        c = counts.get(m.pk, {"invited": 0, "joined": 0, "declined": 0, "pending": 0})
        table.rows.append(
            {
                "member": m.name,
                **{k: c[k] for k in ("invited", "joined", "declined", "pending")},
                "rate": share(c["joined"], c["invited"]),
            }
        )
    totals = {
        k: sum(r[k] for r in table.rows) for k in ("invited", "joined", "declined", "pending")
    }
    table.total = {
        "member": _("Total"),
        **totals,
        "rate": share(totals["joined"], totals["invited"]),
    }
    return table


# Outcomes of a binding tender for a member; the first two keep the commitment.
JOINED, OPTED_OUT, DECLINED, NOT_ANSWERED = "joined", "opted_out", "declined", "not_answered"


KEPT = frozenset({JOINED, OPTED_OUT})


def _outcome_labels() -> dict[str, str]:
    return {
        JOINED: pgettext("participation", "Joined"),
        OPTED_OUT: _("Opted out as allowed"),
        DECLINED: _("Declined, not allowed"),
        NOT_ANSWERED: _("No answer"),
    }


@dataclass(frozen=True)
class BindingAnswer:
    """A member's answer to a joint tender its commitment bound it to."""

    member: Member
    tender: Tender
    outcome: str
    reason: str

    @property
    def kept(self) -> bool:
        return self.outcome in KEPT


def _binding_outcome(p: Participation, tender: Tender, commitment: Commitment | None) -> str:
    if p.answer == Participation.Answer.PARTICIPATE:
        return JOINED
    if p.answer in UNANSWERED:
        return NOT_ANSWERED  # no answer by the deadline: the commitment was not kept
    # A decline keeps the commitment when its opt-out rule allows it: in time, with a reason
    # where one is required. A decline without a recorded time gets the benefit of the doubt.
    if commitment is not None and commitment.opt_out_allowed:
        reasoned = bool(p.decline_reason.strip()) or not commitment.opt_out_justification_required
        latest = tender.volume_deadline - datetime.timedelta(days=commitment.opt_out_deadline_days)
        if reasoned and (p.answered_at is None or p.answered_at <= latest):
            return OPTED_OUT
    return DECLINED


@_memoised
def binding_answers(
    period: Period, now: datetime.datetime | None = None, member_id: int | None = None
) -> list[BindingAnswer]:
    """Each member's answer to each joint tender it was bound to, deadline in the period (only
    `member_id`'s answers when given: a member's start page reads no other member's).

    Bound is what the members app says (`members_bound_to_tenders`: the member's commitment
    for the deadline's year covers the tender's CPV codes or procedure). Tenders whose deadline
    has not passed are left out: their answers may still change.
    """
    now = now or timezone.now()
    tenders = list(
        Tender.objects.filter(
            volume_deadline__date__gte=period.start,
            volume_deadline__date__lt=period.end,
            volume_deadline__lte=now,
        )
        .exclude(status=TenderStatus.CANCELLED)
        .select_related("main_cpv")
        .prefetch_related(
            "additional_cpv",
            Prefetch(
                "participations",
                queryset=(
                    Participation.objects.select_related("member__organisation")
                    if member_id is None
                    else Participation.objects.filter(member_id=member_id).select_related(
                        "member__organisation"
                    )
                ),
            ),
        )
        .order_by("reference")
    )
    members = {m.pk for m in _members(period)}
    if member_id is not None:
        members &= {member_id}
    years = {timezone.localtime(t.volume_deadline).year for t in tenders}
    commitments = {
        (c.member_id, year): c for year in years for c in Commitment.objects.covering(year)
    }
    bound_to = members_bound_to_tenders(tenders)
    answers: list[BindingAnswer] = []
    for tender in tenders:
        year = timezone.localtime(tender.volume_deadline).year
        if not any(key[1] == year for key in commitments):
            continue  # no commitment covers the year: nobody is bound (and no query per tender)
        bound = bound_to[tender.pk] & members
        for p in tender.participations.all():
            if p.member_id in bound:
                commitment = commitments.get((p.member_id, year))
                outcome = _binding_outcome(p, tender, commitment)
                answers.append(BindingAnswer(p.member, tender, outcome, p.decline_reason))
    answers.sort(key=lambda a: (a.member.name, a.tender.reference))
    return answers


@_memoised
def commitment_kept_table(period: Period, member_id: int | None = None) -> Table:
    """Per member: the binding tenders, how it answered them, and the share that kept (only
    `member_id`'s row counted when given; the other members' rows are then empty)."""
    answers = binding_answers(period, member_id=member_id)
    counts: dict[int, Counter[str]] = {}
    for a in answers:
        counts.setdefault(a.member.pk, Counter())[a.outcome] += 1
    table = Table(
        "commitment-kept",
        _("Commitment kept"),
        [
            Column("member", _("Member")),
            Column("bound", _("Binding tenders"), "number"),
            Column(JOINED, pgettext("participation", "Joined"), "number"),
            Column(OPTED_OUT, _("Opted out as allowed"), "number"),
            Column(DECLINED, _("Declined, not allowed"), "number"),
            Column(NOT_ANSWERED, _("No answer"), "number"),
            Column("rate", _("Commitment kept"), "percent"),
        ],
        note=_(
            "A member keeps its commitment to a joint tender it is bound to by joining it, or by "
            "opting out as its commitment allows (in time, and with a reason where one is "
            "required). Tenders whose participation deadline has not passed are not counted."
        ),
    )
    outcomes = (JOINED, OPTED_OUT, DECLINED, NOT_ANSWERED)
    for m in _members(period):
        c = counts.get(m.pk, Counter())
        bound = sum(c.values())
        table.rows.append(
            {
                "member": m.name,
                "bound": bound,
                **{o: c[o] for o in outcomes},
                "rate": share(c[JOINED] + c[OPTED_OUT], bound),
            }
        )
    totals = {k: sum(r[k] for r in table.rows) for k in ("bound", *outcomes)}
    table.total = {
        "member": _("Total"),
        **totals,
        "rate": share(totals[JOINED] + totals[OPTED_OUT], totals["bound"]),
    }
    return table


def binding_answers_table(
    period: Period, member: Member | None = None, *, reasons: bool = True
) -> Table:
    """Every binding tender per member: the answer, the reason given and whether it kept.

    `reasons=False` leaves out the members' own words (`accounts.access.sees_members_own_words`):
    the tables the board reads show the answers and outcomes only."""
    answers = binding_answers(period, member_id=member.pk if member is not None else None)
    labels = _outcome_labels()
    table = Table(
        "binding-answers" if member is None else "member-binding-answers",
        _("Binding joint tenders and the answers"),
        [
            *([Column("member", _("Member"))] if member is None else []),
            Column("tender", _("Tender")),
            Column("answer", _("Answer")),
            *([Column("reason", _("Reason"))] if reasons else []),
            Column("kept", _("Commitment kept")),
        ],
    )
    for a in answers:
        table.rows.append(
            {
                "member": a.member.name,
                "tender": f"{a.tender.reference} {a.tender.title}",
                "outcome": a.outcome,
                "answer": labels[a.outcome],
                **({"reason": a.reason} if reasons else {}),
                "kept": _("Yes") if a.kept else _("No"),
            }
        )
    return table


def declines_by_tender_table(period: Period) -> Table:
    """Per joint tender whose participation deadline fell in the period: how many members were
    invited and how many declined — the board's view of the declines, without the reasons."""
    tenders = (
        Participation.objects.filter(
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .exclude(tender__status=TenderStatus.CANCELLED)
        .values("tender__reference", "tender__title")
        .annotate(
            invited=Count("pk"),
            declines=Count("pk", filter=Q(answer=Participation.Answer.DECLINE)),
        )
        .filter(declines__gt=0)
        .order_by("tender__reference")
    )
    table = Table(
        "declines-by-tender",
        _("Declines per tender"),
        [
            Column("reference", _("Tender")),
            Column("invited", _("Invited"), "number"),
            Column("declines", _("Declined"), "number"),
        ],
        note=_(
            "The members' reasons for declining are read by the secretariat on the tender's "
            "answers and by each member on its own scorecard; the board sees the counts."
        ),
    )
    for row in tenders:
        table.rows.append(
            {
                "reference": f"{row['tender__reference']} {row['tender__title']}",
                "invited": row["invited"],
                "declines": row["declines"],
            }
        )
    return table


@_memoised
def declines_by_category_table(period: Period) -> Table:
    """The declines of the period's joint tenders counted by reason category — how the board
    reads the members' reasons (`tenders.selectors.decline_counts`: tenders whose answers are
    closed, counts only)."""
    counts = decline_counts(start=period.start, end=period.end)
    total = sum(counts.by_category.values())
    notes = [
        _(
            "Declines of the joint tenders whose participation deadline fell in the period and "
            "whose answers are closed, by the reason the member chose. The members' own words "
            "are read by the secretariat."
        )
    ]
    if counts.collecting:
        notes.append(
            ngettext(
                "%(count)s joint tender still collecting answers is not counted yet.",
                "%(count)s joint tenders still collecting answers are not counted yet.",
                counts.collecting,
            )
            % {"count": counts.collecting}
        )
    table = Table(
        "declines-by-category",
        _("Declines by reason"),
        [
            Column("category", _("Reason category")),
            Column("declines", _("Number of declines"), "number"),
            Column("share", _("Share"), "percent"),
        ],
        note=" ".join(notes),
    )
    for value, label in DeclineCategory.choices:
        n = counts.by_category[value]
        table.rows.append(
            {"category": str(label), "category_key": value, "declines": n, "share": share(n, total)}
        )
    table.total = {"category": _("Total"), "declines": total, "share": share(total, total)}
    return table


def declines_table(period: Period) -> Table:
    """Declines of tenders the member was not bound to (binding ones are in binding_answers)."""
    bound = {(a.member.pk, a.tender.pk) for a in binding_answers(period)}
    declines = (
        Participation.objects.filter(
            answer=Participation.Answer.DECLINE,
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .exclude(tender__status=TenderStatus.CANCELLED)
        .select_related("tender", "member__organisation")
        .order_by("tender__reference", "member__organisation__name")
    )
    table = Table(
        "declines",
        _("Other declines with reasons"),
        [
            Column("reference", _("Tender")),
            Column("member", _("Member")),
            Column("reason", _("Reason")),
        ],
        note=_("Declines of joint tenders that the member's commitment did not bind it to."),
    )
    for p in declines:
        if (p.member_id, p.tender_id) in bound:
            continue
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "member": p.member.name,
                "reason": p.decline_reason,
            }
        )
    return table
