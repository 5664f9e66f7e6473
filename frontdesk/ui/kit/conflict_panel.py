"""The two-station conflict panel: what another station saved while this form was open.

Every editable record is saved with the version it was read at; when another station saved it in
between, the service refuses with a ``ConflictError`` listing that station's changes (old → new).
A form then shows this panel above its fields, keeps everything the user typed, and offers the
latest record; once it is loaded, the user's own changes (the fields of their refused input that
differ from the form as it was first filled) can be filled in again on top of it and saved after
a look — never a silent overwrite. Any form that edits an input dataclass can use it.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import ConflictError, FieldChange

MAX_LINES = 6  # the list of changes grows with its lines up to this many


class ConflictPanel(QFrame):
    """Hidden until a save is refused; ``reapplyRequested`` when the user asks for their changes."""

    reapplyRequested = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_box")
        self.setStyleSheet("QFrame#conflict_box { background: #fff8e1; border: 1px solid #ffb300; }")
        self.refused: Any = None  # the user's input the conflict refused
        self.refused_base: Any = None  # … and the form as it was filled before they edited it
        title = QLabel(self.tr("<b>其他工作站的修改</b>"))
        self.headline = QLabel()
        self.headline.setObjectName("conflict_headline")
        self.headline.setWordWrap(True)
        self.changes = QListWidget()
        self.changes.setObjectName("conflict_changes")
        self.changes.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.changes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.changes.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("conflict_hint")
        self.hint.setWordWrap(True)
        self.reapply_button = QPushButton(self.tr("重新填入我的修改"))
        self.reapply_button.setObjectName("reapply")
        self.reapply_button.setToolTip(self.tr("在最新记录上再次填入您刚才改过的内容，核对后再保存"))
        self.reapply_button.setAutoDefault(False)
        self.reapply_button.clicked.connect(self.reapplyRequested)
        self.reapply_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.reapply_button)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.headline)
        column.addWidget(self.changes)
        column.addLayout(row)
        self.hide()

    def show_refusal(self, exc: ConflictError, refused: Any, base: Any) -> None:
        """List what the other station changed; ``refused`` (edited from ``base``) is kept."""
        self.refused, self.refused_base = refused, base
        if exc.changes:
            self.headline.setText(self.tr(
                "您编辑期间，其他工作站保存了这条记录。您的输入未保存，也未丢失，仍在下面的表单中。"
                "对方改动了："))
        else:
            self.headline.setText(exc.message)
        self.changes.clear()
        for change in exc.changes:
            self._add_change(change)
        self.changes.setVisible(bool(exc.changes))
        if exc.changes:  # as tall as its lines, up to six
            rows = min(len(exc.changes), MAX_LINES)
            self.changes.setFixedHeight(
                rows * self.changes.sizeHintForRow(0) + 2 * self.changes.frameWidth() + 2)
        self.hint.setText(self.tr("点“载入最新记录”查看对方保存的内容，"
                                  "再点“重新填入我的修改”，核对后保存。"))
        self.reapply_button.hide()
        self.show()

    def _add_change(self, change: FieldChange) -> None:
        text = self.tr("{label}：{old} → {new}").replace("{label}", change.label) \
            .replace("{old}", change.old).replace("{new}", change.new)
        item = QListWidgetItem(text, self.changes)
        item.setData(Qt.ItemDataRole.UserRole, change.field)
        item.setToolTip(text)

    def my_changes(self) -> tuple[str, ...]:
        """The fields the user changed in the refused input (empty if none is pending)."""
        if self.refused is None or self.refused_base is None:
            return ()
        return tuple(f.name for f in fields(self.refused)
                     if getattr(self.refused, f.name) != getattr(self.refused_base, f.name))

    def reloaded(self, *, editable: bool) -> None:
        """The form now shows the latest record; ``editable``: the user's changes may go on it."""
        if self.refused is None:
            self.hide()
            return
        if not editable or not self.my_changes():
            self.refused = self.refused_base = None
            self.hint.setText(self.tr("已载入最新记录。"))
            return
        self.headline.setText(self.tr("下面的表单现在是其他工作站保存的最新内容。对方改动了："))
        self.hint.setText(self.tr(
            "您改过的 {n} 项已另存，可以重新填入，核对后再保存。"
        ).replace("{n}", str(len(self.my_changes()))))
        self.reapply_button.show()

    def merged(self, current: Any) -> Any | None:
        """``current`` (the form now) with the user's own changes on top; None if none pending.
        The changes count as given back: the form shows them, saving is the user's."""
        mine = self.my_changes()
        if not mine:
            return None
        merged = replace(current, **{name: getattr(self.refused, name) for name in mine})
        self.refused = self.refused_base = None
        self.reapply_button.hide()
        self.hint.setText(self.tr("已重新填入您的修改，请核对后保存。"))
        return merged
