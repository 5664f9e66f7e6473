"""The report model refuses data that would render wrongly, and sections stay independent."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.reports import (
    BarChart,
    CategoryRange,
    Column,
    DetailSheet,
    KeyFigure,
    Kind,
    LineChart,
    Report,
    ReportKind,
    Section,
    Series,
    Standard,
    Table,
)


def small_report(*sections: Section) -> Report:
    return Report(ReportKind.DAILY, "营业厅日报", "测试网点", "2026年11月20日", "李娜",
                  datetime(2026, 11, 20, 18, 0), sections=sections)


def test_a_row_with_the_wrong_number_of_values_is_refused() -> None:
    columns = [Column("业务类型"), Column("人数", Kind.INTEGER)]
    with pytest.raises(ValueError, match="row 2 has 3 values for 2 columns"):
        Table(columns, [("缴费", 3), ("理赔", 1, 9)])
    with pytest.raises(ValueError, match="1 values for 2 columns"):
        Table(columns, [("缴费", 3)], totals=("合计",))
    with pytest.raises(ValueError, match="来访明细"):
        DetailSheet("来访明细", columns, [("缴费",)])


def test_charts_check_their_series_and_marked_ranges() -> None:
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        LineChart("趋势", ["1日", "2日", "3日"], [Series("来访", [1, 2])])
    with pytest.raises(ValueError, match="no series"):
        BarChart("分时段", ["9时"], [])
    with pytest.raises(ValueError, match="not in its categories"):
        BarChart("分时段", ["9时", "10时"], [Series("来访", [1, 2])],
                 marked=[CategoryRange("9时", "11时")])
    chart = BarChart("分时段", ["8时", "9时", "10时", "11时"], [Series("来访", [1, 2, 3, 4])],
                     marked=[CategoryRange("9时", "10时")])
    assert list(chart.marked_indexes(chart.marked[0])) == [1, 2]


def test_standards_decide_whether_a_figure_is_met() -> None:
    standard = Standard(timedelta(minutes=15))
    assert KeyFigure("平均等候", timedelta(minutes=14), Kind.MINUTES, standard=standard).is_met()
    assert KeyFigure("平均等候", timedelta(minutes=15), Kind.MINUTES, standard=standard).is_met()
    assert not KeyFigure("平均等候", timedelta(minutes=16), Kind.MINUTES,
                         standard=standard).is_met()
    assert not KeyFigure("合格率", 0.89, Kind.PERCENT, standard=Standard(0.9, ">=")).is_met()
    assert KeyFigure("平均等候", None, Kind.MINUTES, standard=standard).is_met() is None
    assert KeyFigure("来访", 3).is_met() is None
    assert KeyFigure("逾期", 2, standard=Standard(0), met=True).is_met() is True


def test_each_tab_adds_its_own_section() -> None:
    visitors = Section("visitors", "来访", [])
    report = small_report(visitors).with_section(Section("complaints", "投诉", []))
    assert [s.key for s in report.sections] == ["visitors", "complaints"]
    assert report.section("complaints").title == "投诉"
    with pytest.raises(ValueError, match="visitors"):
        report.with_section(Section("visitors", "again", []))


def test_the_model_is_frozen_all_the_way_down() -> None:
    rows = [["缴费", 3]]
    table = Table([Column("业务类型"), Column("人数", Kind.INTEGER)], rows)
    assert isinstance(table.rows, tuple) and isinstance(table.columns, tuple)
    with pytest.raises(AttributeError):
        table.title = "x"  # type: ignore[misc]
