"""Branch settings, presets and the configurable lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from frontdesk.errors import ValidationError
from frontdesk.services import lists, settings
from frontdesk.services import visitors as v
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION, DOCUMENT, PRESETS
from frontdesk.services.text import has_control_characters

# The administrator's work, done here as the command line (which has every right); who may do it
# is tested in test_permissions.py.
pytestmark = pytest.mark.usefixtures("as_command_line")


def test_a_new_database_is_not_configured(database):
    s = settings.load()
    assert not s.configured
    assert s.standards.water_minutes == 5 and s.standards.wait_minutes == 15
    assert s.standards.peak_wait_minutes == 30 and s.standards.service_minutes == 15
    assert s.standards.is_peak(time(9, 30)) and s.standards.is_peak(time(15, 59))
    assert not s.standards.is_peak(time(12, 0)) and not s.standards.is_peak(time(11, 0))
    assert lists.entries(BUSINESS_TYPE) == []


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_first_run_installs_the_preset_lists(database, preset):
    s = settings.first_run("  城东  营业厅 ", preset)
    assert s.configured and s.branch_name == "城东 营业厅"
    assert settings.load() == s
    for kind in (BUSINESS_TYPE, DESTINATION, DOCUMENT):
        labels = [e.label for e in lists.entries(kind)]
        assert labels == [label for label, _tag in PRESETS[preset].items(kind)]
    assert any(e.tag == "counter" for e in lists.entries(DESTINATION))


def test_the_insurance_preset_has_the_seed_business_types(database):
    settings.first_run("保险柜面", "insurance")
    labels = {e.label for e in lists.entries(BUSINESS_TYPE)}
    assert {"咨询", "缴费", "新契约/投保", "保全变更", "理赔", "退保", "投诉", "查询"} <= labels
    assert [e.label for e in lists.entries(BUSINESS_TYPE) if e.tag == "surrender"] == ["退保"]


def test_bad_settings_name_their_fields(database):
    with pytest.raises(ValidationError) as err:
        settings.first_run(" ", "nowhere")
    assert set(err.value.fields) == {"branch_name", "preset"}
    s = replace(settings.load(), branch_name="网点", preset="bank")
    bad = replace(
        s,
        opening_time=time(18, 0),
        closing_time=time(9, 0),
        standards=replace(s.standards, water_minutes=0, peak_periods=((time(11, 0), time(9, 0)),)),
    )
    with pytest.raises(ValidationError) as err:
        settings.save(bad)
    assert set(err.value.fields) == {"closing_time", "water_minutes", "peak_periods"}
    assert not settings.load().configured


def test_thresholds_round_trip(database):
    s = settings.first_run("网点", "bank")
    new = replace(
        s,
        opening_time=time(8, 30),
        standards=replace(s.standards, water_minutes=3, peak_periods=((time(10, 0), time(12, 0)),)),
    )
    settings.save(new)
    assert settings.load() == new


def test_switching_preset_keeps_entries_in_use_but_inactive(database):
    settings.first_run("网点", "insurance")
    surrender = next(e for e in lists.entries(BUSINESS_TYPE) if e.label == "退保")
    window = lists.entries(DESTINATION)[0]
    row = v.register(v.VisitInput(business_type_id=surrender.id, destination_id=window.id))
    settings.save(replace(settings.load(), preset="bank"))
    active = [e.label for e in lists.entries(BUSINESS_TYPE)]
    assert active == [label for label, _ in PRESETS["bank"].business_types]
    assert lists.get_entry(surrender.id).active is False
    assert v.get_visit(row.id).row.business_type == "退保"


def test_list_editing(database):
    settings.first_run("网点", "insurance")
    added = lists.add_entry(BUSINESS_TYPE, "  养老金领取 ")
    assert added.label == "养老金领取" and lists.entries(BUSINESS_TYPE)[-1] == added
    with pytest.raises(ValidationError):
        lists.add_entry(BUSINESS_TYPE, "咨询")
    with pytest.raises(ValidationError):
        lists.add_entry(BUSINESS_TYPE, "")
    renamed = lists.update_entry(added.id, label="养老金")
    assert renamed.label == "养老金"
    with pytest.raises(ValidationError):
        lists.update_entry(added.id, label="缴费")
    lists.move_entry(added.id, -100)
    assert lists.entries(BUSINESS_TYPE)[0].id == added.id
    lists.update_entry(added.id, active=False)
    assert added.id not in [e.id for e in lists.entries(BUSINESS_TYPE)]
    assert added.id in [e.id for e in lists.entries(BUSINESS_TYPE, include_inactive=True)]
    assert lists.add_entry(BUSINESS_TYPE, "养老金").active  # re-adding re-activates


def test_the_last_active_entry_cannot_be_disabled(database):
    settings.first_run("网点", "hospital")
    entries = lists.entries(DOCUMENT)
    for e in entries[:-1]:
        lists.update_entry(e.id, active=False)
    with pytest.raises(ValidationError):
        lists.update_entry(entries[-1].id, active=False)


# ------------------------------------------------------------------ fuzzing

_any_text = st.text(max_size=80) | st.text(alphabet=st.sampled_from("a网 \x00\x07\n\u3000\x85"), max_size=12)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_any_text, minutes=st.integers(-5, 300), idle=st.integers(-5, 300), label=_any_text)
def test_settings_and_list_edits_raise_only_validation_errors(configured, name, minutes, idle, label):
    current = settings.load()
    changed = replace(current, branch_name=name, idle_lock_minutes=idle,
                      standards=replace(current.standards, wait_minutes=minutes))
    try:
        saved = settings.save(changed)
    except ValidationError as err:
        assert err.fields and all(err.fields.values())
        assert settings.load() == current
    else:
        assert settings.load() == saved and not has_control_characters(saved.branch_name)
    try:
        entry = lists.add_entry(BUSINESS_TYPE, label)
    except ValidationError as err:
        assert set(err.fields) == {"label"}
    else:
        assert entry.label.strip() and not has_control_characters(entry.label)
