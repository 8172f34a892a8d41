"""The rollup: figures from it equal the live ones; refresh is idempotent; today stays live."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, true

from bot.console import measures, rollup, rollup_read, stats
from bot.console.views import category_name
from models import Ticket, TicketEvent, TicketRollup, TicketRollupDay


@pytest.fixture
def history(make):
    """Tickets spread over 40 days in four grids, two departments, every state that counts."""
    spec = [
        ("G1", "closed", dict(response_after_hours=1, resolve_after_hours=10, on_time=True, satisfaction="满意")),
        ("G1", "resolved", dict(response_after_hours=2, resolve_after_hours=30, on_time=False)),
        ("G2", "accepted", dict(response_after_hours=0.3)),
        ("G3", "rejected", dict(response_after_hours=4)),
        ("G4", "new", {}),
        ("G4", "closed", dict(response_after_hours=0.1, resolve_after_hours=5, on_time=True, satisfaction="基本满意")),
        ("G1", "merged", {}),
        ("G2", "closed", dict(response_after_hours=3, resolve_after_hours=200, on_time=False, satisfaction="不满意",
                              department="water")),
        ("G3", "claimed", dict(response_after_hours=0.5, department="urban")),
    ]
    cats = ["drainage", "lighting", "noise", "sanitation"]
    for i in range(40):
        grid, state, kw = spec[i % len(spec)]
        make.ticket(grid, state=state, category=cats[i % 4], age_hours=3 + i * 23.5, **kw)
    return make


def _snapshot(d: stats.Dashboard) -> dict:
    def rows(figs):
        return sorted((str(f.key), f.received, f.responded, f.rejected, f.resolved, f.on_time, f.rated, f.satisfied)
                      for f in figs)

    return {"totals": rows([d.totals]), "open": (d.open_now, d.overdue_now),
            **{k: rows(getattr(d, k)) for k in ("by_category", "by_grid", "by_community", "by_department", "trend")}}


def _both(s, scope, start, end, grain, now):
    fast = stats.dashboard(s, scope, start, end, grain, now, category_name)
    live = stats.dashboard(s, scope, start, end, grain, now, category_name, use_rollup=False)
    return fast, live


def _scopes(s):
    from models import Department, OrgUnit

    g1 = s.execute(select(OrgUnit.id).where(OrgUnit.code == "G1")).scalar_one()
    water = s.execute(select(Department.id).where(Department.code == "water")).scalar_one()
    return [true(), Ticket.grid_id.in_([g1]), Ticket.grid_id.in_([g1]) | Ticket.department_id.in_([water])]


def test_rollup_figures_equal_live_figures(console, history):
    now = history.now
    today = measures.today_in_china(now)
    with console.db.session() as s:
        rollup.rebuild(s, now, 60)
        for scope in _scopes(s):
            for start, grain in ((today - timedelta(days=29), "day"), (today - timedelta(days=59), "week"),
                                 (today - timedelta(days=59), "month"), (today - timedelta(days=10), "day")):
                assert rollup_read.plan(s, scope, start, today, now) is not None  # the rollup is really used
                fast, live = _both(s, scope, start, today, grain, now)
                assert _snapshot(fast) == _snapshot(live)
                for a, b in ((fast.response, live.response), (fast.resolve, live.resolve)):
                    assert (a.avg is None) == (b.avg is None)
                    if a.avg is not None:
                        assert a.avg == pytest.approx(b.avg, rel=1e-6)
                        assert a.approx and not b.approx and a.p90 is not None
        # A period of past days only: nothing live at all.
        fast, live = _both(s, true(), today - timedelta(days=20), today - timedelta(days=1), "day", now)
        assert _snapshot(fast) == _snapshot(live) and fast.totals.received > 0


def test_refresh_is_idempotent(console, history):
    now = history.now

    def table(s):
        cols = [c for c in TicketRollup.__table__.c if c.name != "id"]
        return sorted((tuple(r) for r in s.execute(select(*cols))), key=lambda r: tuple((v is None, str(v)) for v in r))

    with console.db.session() as s:
        rollup.rebuild(s, now, 45)
        first = table(s)
        assert first and s.execute(select(func.count()).select_from(TicketRollupDay)).scalar() == 45
        rollup.rebuild(s, now, 45)
        assert table(s) == first
        rollup.refresh_rollup(s, now)
        rollup.refresh_rollup(s, now)
        assert table(s) == first
        received = s.execute(select(func.sum(TicketRollup.received))
                              .where(TicketRollup.kind == 0, TicketRollup.grain == "d")).scalar()
        today = measures.today_in_china(now)
        assert received == s.execute(select(func.count()).select_from(Ticket).where(
            measures.period_clause(today - timedelta(days=45), today - timedelta(days=1)))).scalar()


def test_today_and_changed_days_are_live(console, history):
    now = history.now
    today = measures.today_in_china(now)
    start = today - timedelta(days=29)
    with console.db.session() as s:
        rollup.rebuild(s, now, 60)
        before = stats.dashboard(s, true(), start, today, "day", now, category_name).totals.received
    history.ticket("G2", age_hours=0.01)  # today: not in any rollup row
    with console.db.session() as s:
        assert stats.dashboard(s, true(), start, today, "day", now, category_name).totals.received == before + 1
        # An old ticket resolved now: its day is stale until the next refresh, and computed live.
        old = s.execute(select(Ticket).where(Ticket.state == "accepted", Ticket.created_at < now - timedelta(days=5))
                        .order_by(Ticket.id)).scalars().first()
        old.state, old.resolved_at, old.on_time = "resolved", now, True
        s.add(TicketEvent(ticket_id=old.id, actor_id=old.reporter_id, action="resolve", from_state="accepted",
                          to_state="resolved", note="", created_at=now))
        s.commit()
        old_day = measures.today_in_china(old.created_at)
        assert old_day in rollup.stale_days(s)
        fast, live = _both(s, true(), start, today, "day", now)
        assert _snapshot(fast) == _snapshot(live)
        rollup.refresh_rollup(s, now)
        assert old_day not in rollup.stale_days(s)
        fast, live = _both(s, true(), start, today, "day", now)
        assert _snapshot(fast) == _snapshot(live)


def test_approximate_p90_is_marked_on_the_page(login_as, history, console):
    with console.db.session() as s:
        rollup.rebuild(s, history.now, 60)
    page = login_as("admin").get("/console/dashboard").get_data(as_text=True)
    assert "P90 约" in page


def test_scope_on_other_columns_disables_the_rollup(console, history):
    with console.db.session() as s:
        rollup.rebuild(s, history.now, 60)
        today = measures.today_in_china(history.now)
        assert rollup_read.plan(s, Ticket.category == "noise", today - timedelta(days=9), today, history.now) is None


def test_histogram_percentile():
    assert rollup_read.hist_percentile([0] * 12, 0.9) is None
    counts = [0] * 12
    counts[2] = 10  # ten values between 30 and 60 minutes
    assert 1800 <= rollup_read.hist_percentile(counts, 0.9) <= 3600


def test_sweep_refreshes_the_rollup_at_most_every_few_minutes(app, history, console):
    from bot.sweep import sweep_job

    with app.app_context():
        sweep_job()
        with console.db.session() as s:
            days = s.execute(select(func.count()).select_from(TicketRollupDay)).scalar()
            assert days == 2  # yesterday and the day before: cheap
            s.execute(TicketRollupDay.__table__.delete())
            s.commit()
        sweep_job()  # same slot: no refresh
        with console.db.session() as s:
            assert s.execute(select(func.count()).select_from(TicketRollupDay)).scalar() == 0
        console.clock.advance(rollup.REFRESH_EVERY_SECONDS)
        sweep_job()
        with console.db.session() as s:
            assert s.execute(select(func.count()).select_from(TicketRollupDay)).scalar() == 2


@pytest.fixture
def long_history(history):
    """history plus tickets 40–100 days old: at least one whole past month has tickets."""
    spec = [("G1", "closed", dict(response_after_hours=1, resolve_after_hours=20, on_time=True, satisfaction="满意",
                                  department="water")),
            ("G3", "resolved", dict(response_after_hours=5, resolve_after_hours=90, on_time=False)),
            ("G2", "rejected", dict(response_after_hours=2, department="urban")),
            ("G4", "merged", {})]
    for i in range(30):
        grid, state, kw = spec[i % len(spec)]
        history.ticket(grid, state=state, category=("drainage", "greening", "noise")[i % 3],
                       age_hours=40 * 24 + i * 48, **kw)
    return history


def _more_scopes(s):
    from models import Department, OrgUnit

    units = {u.code: u.id for u in s.execute(select(OrgUnit)).scalars()}
    depts = {d.code: d.id for d in s.execute(select(Department)).scalars()}
    return [*_scopes(s), Ticket.department_id.in_([depts["water"], depts["urban"]]),
            Ticket.grid_id.in_([units["G1"], units["G2"]]) | Ticket.department_id.in_([depts["urban"]]),
            Ticket.grid_id == units["G3"]]


def test_month_rows_and_every_scope_equal_live(console, long_history):
    now = long_history.now
    today = measures.today_in_china(now)
    with console.db.session() as s:
        rollup.rebuild(s, now, 110)
        assert s.execute(select(func.count()).select_from(TicketRollup).where(TicketRollup.grain == "m")).scalar()
        for scope in _more_scopes(s):
            for start, grain in ((today - timedelta(days=99), "month"), (today - timedelta(days=99), "week"),
                                 (today - timedelta(days=99), "day"), (today - timedelta(days=45), "month")):
                p = rollup_read.plan(s, scope, start, today, now)
                assert p is not None and (p.months or start > today - timedelta(days=60))
                fast, live = _both(s, scope, start, today, grain, now)
                assert _snapshot(fast) == _snapshot(live)
                assert fast.totals.received > 0 or live.totals.received == 0
                for a, b in ((fast.response, live.response), (fast.resolve, live.resolve)):
                    assert (a.avg is None) == (b.avg is None)
                    if a.avg is not None:
                        assert a.avg == pytest.approx(b.avg, rel=1e-6)


def test_ranking_from_the_rollup_equals_live(console, long_history):
    now = long_history.now
    today = measures.today_in_china(now)
    with console.db.session() as s:
        rollup.rebuild(s, now, 110)
        for scope in _more_scopes(s):
            for month_start in (today.replace(day=1), (today.replace(day=1) - timedelta(days=1)).replace(day=1),
                                (today.replace(day=1) - timedelta(days=40)).replace(day=1)):
                first, last, _ = stats.month_bounds(month_start.strftime("%Y-%m"), today)
                for level in ("department", "grid", "community", "street"):
                    fast = stats.ranking(s, scope, first, last, level, now)
                    live = stats.ranking(s, scope, first, last, level)
                    assert [(f.key, f.label, f.received, f.resolved, f.on_time, f.rated, f.satisfied, f.rejected)
                            for f in fast] == \
                           [(f.key, f.label, f.received, f.resolved, f.on_time, f.rated, f.satisfied, f.rejected)
                            for f in live]


def test_day_by_day_refresh_writes_what_one_range_rebuild_writes(console, long_history):
    now = long_history.now
    today = measures.today_in_china(now)
    cols = [c for c in TicketRollup.__table__.c if c.name != "id"]

    def table(s):
        rows = [tuple(round(v, 3) if isinstance(v, float) else v for v in r) for r in s.execute(select(*cols))]
        return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))

    with console.db.session() as s:
        rollup.rebuild(s, now, 100)
        whole = table(s)
        s.execute(TicketRollup.__table__.delete())
        s.execute(TicketRollupDay.__table__.delete())
        for i in range(100, 0, -1):  # as the sweep would, one day at a time
            rollup.rebuild_days(s, [today - timedelta(days=i)], now)
        s.commit()
        assert table(s) == whole


def test_scope_terms_follow_the_viewer_clause():
    assert rollup_read.scope_terms(true()) == [rollup_read.Term(1)]
    assert rollup_read.scope_terms(Ticket.grid_id.in_([3, 1])) == [rollup_read.Term(1, grids=(1, 3))]
    both = rollup_read.scope_terms(Ticket.grid_id.in_([1]) | Ticket.department_id.in_([2]))
    assert [t.sign for t in both] == [1, 1, -1] and both[2].grids == (1,) and both[2].departments == (2,)
    assert rollup_read.scope_terms(Ticket.grid_id.in_([1]) & Ticket.department_id.in_([2])) is None
    assert rollup_read.scope_terms(Ticket.state == "new") is None
