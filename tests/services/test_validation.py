"""One policy for typed text: control characters are refused, naming the field; never dropped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from frontdesk.errors import ValidationError
from frontdesk.services import lists, settings, visitors
from frontdesk.services.presets import BUSINESS_TYPE
from frontdesk.services.validation import Errors, clean_text


@pytest.mark.parametrize("typed", ["柜\x00台", "柜台\x1b", "柜\n台", "柜\x85台"])
def test_clean_text_refuses_control_characters_naming_the_field(typed):
    with pytest.raises(ValidationError) as caught:
        clean_text("label", typed, label="名称", limit=10)
    assert caught.value.fields == {"label": "名称中有无法保存的控制字符，请删去后重试。"}


def test_clean_text_only_trims_and_checks_length():
    assert clean_text("notes", "  a\nb  ", label="备注", limit=10, multiline=True) == "a\nb"
    assert clean_text("label", " 理财   咨询 ", label="名称", limit=10, collapse_spaces=True) == "理财 咨询"
    with pytest.raises(ValidationError, match="名称最多 3 个字"):
        clean_text("label", "1234", label="名称", limit=3)
    with pytest.raises(ValidationError, match="请填写"):
        clean_text("label", "   ", label="名称", limit=3, required="请填写名称。")


def test_errors_collects_every_field():
    errors = Errors()
    assert errors.text("a", "x\x07", label="甲", limit=5) == "x\x07"
    errors.text("b", "123456", label="乙", limit=5)
    errors.text("c", "fine", label="丙", limit=5)
    with pytest.raises(ValidationError) as caught:
        errors.raise_if_any()
    assert set(caught.value.fields) == {"a", "b"}


def test_a_list_label_with_a_control_character_is_refused_not_stripped(configured):
    before = [e.label for e in lists.entries(BUSINESS_TYPE, include_inactive=True)]
    with pytest.raises(ValidationError) as caught:
        lists.add_entry(BUSINESS_TYPE, "新\x07业务")
    assert set(caught.value.fields) == {"label"} and "控制字符" in caught.value.fields["label"]
    entry = lists.entries(BUSINESS_TYPE)[0]
    with pytest.raises(ValidationError, match="控制字符"):
        lists.update_entry(entry.id, label="改\x00名")
    assert [e.label for e in lists.entries(BUSINESS_TYPE, include_inactive=True)] == before


def test_a_branch_name_with_a_control_character_is_refused_not_stripped(configured):
    current = settings.load()
    with pytest.raises(ValidationError) as caught:
        settings.save(replace(current, branch_name="测试\x1b支行"))
    assert caught.value.fields == {"branch_name": "网点名称中有无法保存的控制字符，请删去后重试。"}
    assert settings.load() == current


def test_calling_and_voiding_refuse_control_characters(kinds):
    bts, dests = kinds
    row = visitors.register(visitors.VisitInput(business_type_id=next(iter(bts.values())),
                                                destination_id=next(iter(dests.values()))))
    with pytest.raises(ValidationError) as caught:
        visitors.call(row.id, served_by="赵\x00磊")
    assert set(caught.value.fields) == {"served_by"}
    with pytest.raises(ValidationError) as caught:
        visitors.void(row.id, "重复\x07登记")
    assert set(caught.value.fields) == {"void_reason"}
    assert visitors.get_visit(row.id).row.status == visitors.WAITING
