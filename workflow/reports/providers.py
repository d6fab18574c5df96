"""The provider scorecard: for each provider, its participants (its completed requests), their
average rating and the share who recommend it (over evaluations returned), what it cost per
participant and per hour, and how its participants and ratings moved from term to term.

Providers are grouped by name with case and spacing ignored ("Reading  hub" is "Reading
Hub"), and shown by the spelling used most often (ties: the first alphabetically). Costs are
the activity's cost as known (the booking's confirmed cost, else the estimate), whoever
paid; the cost per hour is over the completed requests that gave their hours.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from workflow.reports.document import Cell, Chart, Column, Report, Section, Table, Unit
from workflow.reports.request_facts import RequestFacts

HUNDREDTH = Decimal("0.01")
TREND_PROVIDERS = 6  # the trend charts follow the providers with the most participants
SCORECARD = (
    Column("provider", "Provider", "text"),
    Column("participants", "Participants"),
    Column("evaluations", "Evaluations returned"),
    Column("average_rating", "Average rating (1-5)", "rating"),
    Column("recommend_share", "Would recommend", "share"),
    Column("cost_gbp", "Cost", "GBP"),
    Column("cost_per_participant_gbp", "Cost per participant", "GBP"),
    Column("hours", "Hours", "hours"),
    Column("cost_per_hour_gbp", "Cost per hour", "GBP"),
)


def provider_key(name: str) -> str:
    """What makes two spellings the same provider: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ProviderRecord:
    name: str
    participants: tuple[RequestFacts, ...]  # its completed requests, by start date


def by_provider(requests: Sequence[RequestFacts]) -> list[ProviderRecord]:
    """Providers with at least one participant, the most participants first."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    done: defaultdict[str, list[RequestFacts]] = defaultdict(list)
    for request in requests:
        if request.provider is None or not request.provider.strip() or not request.took_place:
            continue
        key = provider_key(request.provider)
        spellings[key][" ".join(request.provider.split())] += 1
        done[key].append(request)
    found = [
        ProviderRecord(min(spellings[k], key=lambda s: (-spellings[k][s], s)), tuple(rs))
        for k, rs in done.items()
    ]
    return sorted(found, key=lambda p: (-len(p.participants), p.name.casefold()))


def providers_report(
    requests: Sequence[RequestFacts],
    terms: Sequence[str],
    term_of: Callable[[date], str],
    period: tuple[date, date],
    parameters: Mapping[str, str],
    generated_at: datetime,
) -> Report:
    """`terms`: the labels of the terms the period touches, in order; `term_of` names the
    term a day belongs to."""
    records = by_provider(requests)
    unnamed = sum(1 for r in requests if r.took_place and not (r.provider or "").strip())
    scorecard = Table(
        "scorecard", "Providers", SCORECARD, tuple(_scorecard_row(p) for p in records)
    )
    notes = [
        "Participants: completed requests whose activity starts in the period. Rating and"
        " recommendation: over the evaluations returned. Cost: the activity's cost as booked"
        " (else as estimated), whoever paid; cost per hour over the requests that gave hours."
    ]
    if unnamed:
        noun = "request" if unnamed == 1 else "requests"
        notes.append(f"{unnamed} completed {noun} named no provider, not shown here.")
    charts = (Chart("Participants by provider", "scorecard", "provider", ("participants",)),)
    followed = records[:TREND_PROVIDERS]
    trend = Section(
        "Trend by term",
        (
            _trend(
                "trend_participants", "Participants by term", followed, terms, term_of, len, "count"
            ),
            _trend(
                "trend_rating",
                "Average rating by term",
                followed,
                terms,
                term_of,
                _rating,
                "rating",
            ),
        ),
        (
            Chart("Participants by term", "trend_participants", "term", _keys(followed), "line"),
            Chart("Average rating by term", "trend_rating", "term", _keys(followed), "line"),
        ),
        (f"The {TREND_PROVIDERS} providers with the most participants, term by term.",),
    )
    return Report(
        kind="providers",
        title="Provider scorecard",
        parameters=dict(parameters),
        period_from=period[0],
        period_to=period[1],
        generated_at=generated_at,
        sections=(Section("Scorecard", (scorecard,), charts, tuple(notes)), trend),
    )


def _scorecard_row(provider: ProviderRecord) -> tuple[Cell, ...]:
    done = provider.participants
    evaluations = [r.evaluation for r in done if r.evaluation is not None]
    cost = sum((r.cost_gbp for r in done), Decimal(0))
    timed = [r for r in done if r.hours]
    hours = sum((r.hours or Decimal(0) for r in timed), Decimal(0))
    timed_cost = sum((r.cost_gbp for r in timed), Decimal(0))
    recommend = sum(1 for e in evaluations if e.recommend_provider)
    return (
        provider.name,
        len(done),
        len(evaluations),
        _rating(done),
        _ratio(Decimal(recommend), len(evaluations)),
        _hundredths(cost),
        _ratio(cost, len(done)),
        _hundredths(hours) if timed else None,
        _ratio(timed_cost, hours) if timed else None,
    )


def _trend(
    name: str,
    title: str,
    providers: Sequence[ProviderRecord],
    terms: Sequence[str],
    term_of: Callable[[date], str],
    figure: Callable[[Sequence[RequestFacts]], Cell],
    unit: Unit,
) -> Table:
    keys = _keys(providers)
    columns = (
        Column("term", "Term", "text"),
        *(Column(key, p.name, unit) for key, p in zip(keys, providers, strict=True)),
    )
    rows = tuple(
        (
            term,
            *(
                figure([r for r in p.participants if term_of(r.start_date) == term])
                for p in providers
            ),
        )
        for term in terms
    )
    return Table(name, title, columns, rows)


def _keys(providers: Sequence[ProviderRecord]) -> tuple[str, ...]:
    return tuple(f"provider_{i}" for i in range(1, len(providers) + 1))


def _rating(done: Sequence[RequestFacts]) -> Decimal | None:
    ratings = [r.evaluation.rating for r in done if r.evaluation is not None]
    return _ratio(Decimal(sum(ratings)), len(ratings)) if ratings else None


def _ratio(amount: Decimal, over: int | Decimal) -> Decimal | None:
    return _hundredths(amount / over) if over else None


def _hundredths(amount: Decimal) -> Decimal:
    return amount.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
