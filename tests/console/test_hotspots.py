"""Hot-spot clustering (pure) and the hot-spot page."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.console.hotspots import Report, find_hotspots, places_in

T0 = datetime(2026, 11, 10, 9, tzinfo=UTC)


def r(i, text, area="G3", days=0.0, weight=1):
    return Report(id=i, text=text, area=area, at=T0 + timedelta(days=days), weight=weight, title=text)


def test_same_problem_same_area_same_week_is_one_cluster():
    reports = [
        r(1, "扬州路12号门口下水道堵了，污水漫到路上"),
        r(2, "扬州路12号下水道又堵了，臭得很", days=1),
        r(3, "扬州路12号门口下水道堵塞好几天了", days=2),
        r(4, "扬州路12号下水道堵了 污水", days=3),
        r(5, "扬州路12号门口下水道堵了", area="G1", days=1),   # another grid
        r(6, "楼道里的灯坏了好几天", days=1),                  # another problem
    ]
    clusters = find_hotspots(reports, threshold=0.35, window_days=7)
    assert len(clusters) == 1
    assert sorted(clusters[0].ids) == [1, 2, 3, 4] and clusters[0].size == 4
    assert "扬州路" in "".join(clusters[0].places)


def test_far_apart_in_time_is_not_a_hot_spot():
    reports = [r(i, "扬州路12号下水道堵了", days=i * 20) for i in range(4)]
    assert find_hotspots(reports, window_days=7) == []


def test_followers_count_towards_size_and_trend_reads_rising():
    reports = [r(1, "光明小区3号楼电梯坏了", days=0), r(2, "光明小区3号楼电梯又坏了", days=6, weight=4)]
    (cluster,) = find_hotspots(reports, threshold=0.35, window_days=7, now=T0 + timedelta(days=6))
    assert cluster.size == 5 and cluster.trend == "上升"


def test_empty_and_tiny_inputs():
    assert find_hotspots([]) == []
    assert find_hotspots([r(1, "好")]) == []
    assert places_in("扬州路12号门口下水道堵了") == ["扬州路"]
    assert places_in("光明小区3号楼电梯坏了") == ["光明小区", "3号楼"]


def test_hotspot_page_groups_reports_in_scope(login_as, make):
    for i, text in enumerate(["扬州路12号门口下水道堵了", "扬州路12号下水道又堵了，污水漫出来", "扬州路12号下水道堵塞"]):
        make.ticket("G3", text=text, place="扬州路12号", age_hours=10 + i)
    make.ticket("G1", text="扬州路12号下水道堵了", age_hours=5)
    page = login_as("songkezhang").get("/console/hotspots").get_data(as_text=True)
    assert "3 件反映" in page and "扬州路第一网格" in page and 'id="chart-hot-0"' in page
    assert "这段时间没有发现" in login_as("wangfang").get("/console/hotspots").get_data(as_text=True)
