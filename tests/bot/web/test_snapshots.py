"""Insights snapshots: a preset period is computed once per age, kept fresh while watched, then freed."""

from datetime import datetime, timedelta, timezone

from bot.web.console.snapshots import Snapshots

T0 = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)


def test_a_period_is_computed_once_per_age_and_refreshed_only_while_someone_looks() -> None:
    computed: list[tuple[datetime, datetime]] = []

    def compute(start: datetime, end: datetime) -> int:
        computed.append((start, end))
        return len(computed)

    snapshots = Snapshots(compute, max_age=timedelta(minutes=10), watch_for=timedelta(hours=1))
    first = snapshots.get(90, T0)
    assert (first.value, first.start, first.end) == (1, T0 - timedelta(days=90), T0)
    assert snapshots.get(90, T0 + timedelta(minutes=9)).value == 1  # served from the snapshot
    assert snapshots.refresh(T0 + timedelta(minutes=4)) == 0  # still young
    assert snapshots.refresh(T0 + timedelta(minutes=6)) == 1  # past half its age: recomputed off the request
    assert snapshots.get(90, T0 + timedelta(minutes=12)).value == 2
    assert snapshots.get(365, T0 + timedelta(minutes=12)).value == 3  # each period its own
    assert snapshots.refresh(T0 + timedelta(hours=2)) == 0  # nobody looked for an hour: nothing computed
    assert snapshots.get(90, T0 + timedelta(hours=2)).value == 4  # and the next look computes anew
