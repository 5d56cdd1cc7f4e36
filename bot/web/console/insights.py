"""The marketing console's Insights page: charts over a chosen period, each with its table and CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from bot.web.console import views
from bot.web.console.charts import Chart
from lifecycle.people import reporting, sentiment_report, weekly

PERIODS = {7: "last 7 days", 30: "last 30 days", 90: "last 90 days", 180: "last 6 months", 365: "last 12 months"}
DEFAULT_DAYS = 90
MAX_DAYS = 731
router = APIRouter(prefix="/console", include_in_schema=False)


class Period:
    """The page's period: the last N days up to now, or from/to dates (inclusive, UTC)."""

    def __init__(self, request: Request, now: datetime) -> None:
        args = request.query_params
        start, end = _date(args.get("from")), _date(args.get("to"))
        self.days = int(args["days"]) if args.get("days", "").isdigit() else DEFAULT_DAYS
        if self.days not in PERIODS:
            raise HTTPException(422, f"days must be one of {', '.join(map(str, PERIODS))}")
        if start and end:
            if end < start or (end - start).days > MAX_DAYS:
                raise HTTPException(422, f"'to' must be on or after 'from', and at most {MAX_DAYS} days later")
            self.start = datetime.combine(start, time(), timezone.utc)
            self.end = min(datetime.combine(end + timedelta(days=1), time(), timezone.utc), now)
            self.label, self.query = f"{start} to {end}", f"from={start}&to={end}"
            self.preset = False
        else:
            self.preset = True
            self.start, self.end = now - timedelta(days=self.days), now
            self.label, self.query = PERIODS[self.days], f"days={self.days}"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise HTTPException(422, "dates are YYYY-MM-DD") from None


def _counted(series: dict[str, dict[date, int]], mondays: list[date]) -> dict[str, dict[date, int]]:
    """Counts are 0 in a week without any, rather than a gap the line would jump over."""
    return {name: {monday: points.get(monday, 0) for monday in mondays} for name, points in series.items()}


def build_charts(found: reporting.Insights) -> dict[str, Chart]:
    rows = found.feedback
    mondays = [week.monday for week in weekly.weeks(found.start, found.end)]
    return {chart.key: chart for chart in [
        Chart("questions", "Most frequent shopper questions per week", "messages per week", found.questions,
              low=0),
        Chart("fallbacks", "Messages the assistant could not answer per week", "messages per week",
              {"not answered": found.fallbacks["not answered"]}, low=0,
              note="The texts are listed below the charts: they are the FAQ's to-do list."),
        Chart("fallback_share", "Share of messages the assistant could not answer", "% of shopper messages",
              {"share (%)": found.fallbacks["share of messages (%)"]}, low=0),
        Chart("conversion", "Conversion rate per week", "% of customers who interacted and ordered",
              {"conversion rate (%)": found.conversion["conversion rate (%)"]}, low=0),
        Chart("recovered", "Revenue recovered from abandoned carts per week", "EUR per week",
              {"recovered revenue (EUR)": found.conversion["recovered revenue (EUR)"]}, kind="bar"),
        Chart("handoff_reply", "Time to an agent's first reply in live hand-offs", "minutes (average)",
              {"first reply (min)": found.reply_minutes}, low=0),
        Chart("csat", "CSAT per week", "average rating (1-5)",
              {"CSAT": reporting.score_over_time(rows, "csat")}, low=1, high=5),
        Chart("nps", "NPS per week", "NPS (-100 to 100)", {"NPS": reporting.score_over_time(rows, "nps")},
              low=-100, high=100),
        Chart("themes", "Feedback themes per week", "written feedback per week",
              _counted(reporting.themes_over_time(rows), mondays),
              low=0),
        Chart("theme_sentiment", "Sentiment per theme per week", "sentiment (-1 negative to 1 positive)",
              sentiment_report.theme_sentiment_over_time(rows), low=-1, high=1,
              note=f"Texts the model was sure of; {sum(sentiment_report.unsure_per_week(rows).values())} "
                   "unsure ones are not in the averages."),
        Chart("stages", "Customers per lifecycle stage (now)", "customers",
              {"customers": dict(found.metrics.customers_per_stage)}, kind="bar", x_label="lifecycle stage"),
    ]}


@dataclass(frozen=True)
class Computed:
    """What the page shows for one period: the figures and the charts built from them."""

    found: reporting.Insights
    charts: dict[str, Chart]


def computer(app: FastAPI) -> Callable[[datetime, datetime], Computed]:
    """The computation a snapshot runs: the reports for [start, end) and their charts."""

    def compute(start: datetime, end: datetime) -> Computed:
        found = app.state.reports.insights(app.state.shop_source.get(), start, end, end)
        return Computed(found, build_charts(found))
    return compute


def _insights(request: Request) -> tuple[Period, Computed, datetime | None]:
    """The period's figures; for a preset period from its snapshot (and when it was computed)."""
    now = datetime.now(timezone.utc)
    period = Period(request, now)
    if period.preset:
        snapshot = request.app.state.insight_snapshots.get(period.days, now)
        period.start, period.end = snapshot.start, snapshot.end
        return period, snapshot.value, snapshot.end
    return period, computer(request.app)(period.start, period.end), None


@router.get("/insights")
def insights(request: Request) -> HTMLResponse:
    info = views.who(request, "marketing")
    period, computed, as_of = _insights(request)
    found = computed.found
    rows = found.feedback
    return views.page(request, "insights.html", info, charts=computed.charts.values(), period=period, as_of=as_of,
                      periods=PERIODS, m=found.metrics.as_json(), markets=found.markets,
                      fallback_texts=found.fallback_texts, playbooks=found.playbooks, diagnosis=found.diagnosis,
                      holdout=request.app.state.shop_source.get().playbooks.holdout_percent,
                      complaints=sentiment_report.most_negative(rows),
                      market_names=views.MARKET_NAMES, feedback_count=len(rows),
                      text_count=sum(1 for f in rows if f.kind == "text"))


@router.get("/insights/{key}.csv")
def insights_csv(request: Request, key: str) -> Response:
    views.who(request, "marketing")
    period, computed, _ = _insights(request)
    chart = computed.charts.get(key)
    if chart is None:
        raise HTTPException(404, "no such chart")
    return Response(chart.csv(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="shopmate-{key}-{period.start.date()}-{period.end.date()}.csv"'})



