"""The template editor (administrator): a template's name, weekdays and items.

Saving adds the template's next revision (the service keeps the old one for the runs that used
it), so nothing here can change a past run. Items are edited in place in the table: section,
text and weight typed in their cells, the four switches ticked with Space. Insert adds an item
below the current one, Delete removes it, Ctrl+Up / Ctrl+Down move it, Ctrl+S saves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import ItemSpec, TemplateInput, TemplateRow
from frontdesk.ui.kit.changes import INSPECTION
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp

SECTION, TEXT, WEIGHT, SCORED, ALLOW_NA, NOTE, ACTION = range(7)


class TemplateEditorDialog(QDialog):
    """One template, saved as its next revision."""

    def __init__(self, template: TemplateRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.template = template
        self.saved: TemplateRow | None = None
        self._busy = False
        self.setWindowTitle(self.tr("编辑模板：{name}（第 {n} 版）").replace("{name}", template.name)
                            .replace("{n}", str(template.revision)))
        self.name = QLineEdit(template.name)
        self.name.setObjectName("templateName")
        self.name.setMaxLength(ins.MAX_NAME + 10)
        self.days: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for n, label in enumerate(ins.WEEKDAYS):
            box = QCheckBox(label)
            box.setObjectName(f"weekday{n}")
            box.setChecked(bool(template.due_weekdays & (1 << n)))
            self.days.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("templateItems")
        self.table.setHorizontalHeaderLabels([self.tr("分组"), self.tr("检查项"), self.tr("权重"), self.tr("计分"),
                                              self.tr("可不适用"), self.tr("不合格须说明"), self.tr("不合格生成整改")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((SECTION, 90), (WEIGHT, 48), (SCORED, 48), (ALLOW_NA, 70), (NOTE, 96), (ACTION, 110)):
            header.resizeSection(column, width)
        for item in template.items:
            self._append(item.spec())
        self.table.installEventFilter(self)

        self.message = QLabel()
        self.message.setObjectName("templateMessage")
        self.errors = FormErrors(self.message)
        name_error = self.errors.new_label("name", self.name)
        hint = QLabel(self.tr("Insert 添加　Delete 删除　Ctrl+↑/↓ 移动　空格 勾选　Ctrl+S 保存（保存为新版本，"
                              "已有检查记录不受影响）"))
        hint.setStyleSheet("color: #6b7280;")
        hint.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存为新版本 (Ctrl+S)"))
        self.save_button.setObjectName("saveTemplate")
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消 (Esc)"))
        cancel.clicked.connect(self.reject)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("名称")))
        name_row.addWidget(self.name, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(name_row)
        layout.addWidget(name_error)
        layout.addLayout(days_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(980, 600)
        self.table.setCurrentCell(0, TEXT)
        self.name.setFocus()

    # ------------------------------------------------------------ rows

    def _append(self, spec: ItemSpec, at: int | None = None) -> None:
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        for column, text in ((SECTION, spec.section), (TEXT, spec.text), (WEIGHT, str(spec.weight))):
            self.table.setItem(row, column, QTableWidgetItem(text))
        for column, on in ((SCORED, spec.scored), (ALLOW_NA, spec.allow_na), (NOTE, spec.note_on_fail),
                           (ACTION, spec.action_on_fail)):
            cell = QTableWidgetItem()
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            cell.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.table.setItem(row, column, cell)

    def _spec(self, row: int) -> ItemSpec:
        def text(column: int) -> str:
            cell = self.table.item(row, column)
            return cell.text() if cell is not None else ""

        def on(column: int) -> bool:
            return self.table.item(row, column).checkState() == Qt.CheckState.Checked

        weight_text = text(WEIGHT).strip()
        if not weight_text.isdigit():
            raise ValidationError.single(f"items.{row + 1}", self.tr("第 {n} 项的权重应为 0 到 {max} 的整数。")
                                         .replace("{n}", str(row + 1)).replace("{max}", str(ins.MAX_WEIGHT)))
        return ItemSpec(text(TEXT), text(SECTION), int(weight_text), on(SCORED), on(ALLOW_NA), on(NOTE), on(ACTION))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and self.table.state() != QAbstractItemView.State.EditingState:
            key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            row = self.table.currentRow()
            if key == Qt.Key.Key_Insert:
                self._append(ItemSpec(""), row + 1)
                self.table.setCurrentCell(row + 1, TEXT)
                return True
            if key == Qt.Key.Key_Delete and row >= 0:
                self.table.removeRow(row)
                self.table.setCurrentCell(min(row, self.table.rowCount() - 1), TEXT)
                return True
            if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and row >= 0:
                target = row - 1 if key == Qt.Key.Key_Up else row + 1
                if 0 <= target < self.table.rowCount():
                    for column in range(self.table.columnCount()):  # swapped as typed, nothing re-read
                        mine, theirs = self.table.takeItem(row, column), self.table.takeItem(target, column)
                        self.table.setItem(row, column, theirs)
                        self.table.setItem(target, column, mine)
                    self.table.setCurrentCell(target, self.table.currentColumn())
                return True
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_S and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.save()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_S and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.save()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ saving

    def data(self) -> TemplateInput:
        mask = sum(1 << n for n, box in enumerate(self.days) if box.isChecked())
        items = tuple(self._spec(row) for row in range(self.table.rowCount()))
        return TemplateInput(self.name.text(), items, mask, self.template.active)

    def save(self) -> None:
        if self._busy:
            return
        self.errors.clear()
        try:
            data = self.data()
        except UserError as error:
            self._refused(error)
            return
        template_id = self.template.id
        self._busy = True
        Op(self, lambda: ins.revise_template(template_id, data), changes={INSPECTION}) \
            .success(self._saved).failure(self._refused).finally_(self._ended).run()

    def _ended(self) -> None:
        self._busy = False

    def _saved(self, template: TemplateRow) -> None:
        self.saved = template
        self.accept()

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()

    def reject(self) -> None:
        if not self._busy:
            super().reject()


class TemplatesDialog(QDialog):
    """The current templates; Enter opens one in the editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatesDialog")
        self.setWindowTitle(self.tr("检查模板"))
        self.editor: TemplateEditorDialog | None = None
        self.list = QListWidget()
        self.list.setObjectName("templatesList")
        self.list.itemActivated.connect(lambda _item: self.edit())
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("选择要编辑的模板（Enter）：")))
        layout.addWidget(self.list, 1)
        layout.addWidget(close)
        self.resize(460, 360)
        self.reload()

    def reload(self) -> None:
        QueryOp(self, ins.templates).success(self._show).run()

    def _show(self, templates: list[TemplateRow]) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for t in templates:
            item = QListWidgetItem(self.tr("{name}　第 {n} 版　{days}　{k} 项").replace("{name}", t.name)
                                   .replace("{n}", str(t.revision)).replace("{days}", ins.weekdays_label(t.due_weekdays))
                                   .replace("{k}", str(len(t.items))))
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(item)
        self.list.setCurrentRow(max(0, current))
        self.list.setFocus()

    def edit(self) -> None:
        item = self.list.currentItem()
        if item is None or self.editor is not None:
            return
        editor = TemplateEditorDialog(item.data(Qt.ItemDataRole.UserRole), self)
        self.editor = editor
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            self.editor = None
            self.reload()

        editor.finished.connect(closed)
        editor.open()
