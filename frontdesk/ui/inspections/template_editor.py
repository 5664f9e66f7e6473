"""The template editor (administrator): a template's name, weekdays and items; new templates
(from scratch or a copy) and deactivating one.

Saving adds the template's next revision (the service keeps the old one for the runs that used
it), so nothing here can change a past run. Items are edited in place in the table: section,
text and weight typed in their cells, the five switches (scored, N/A allowed, and on failure a
note, a corrective action, a photo) ticked with Space. Insert adds an item
below the current one, Delete removes it, Ctrl+Up / Ctrl+Down move it, Ctrl+S saves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from frontdesk.ui.kit.common import ERROR_STYLE, FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.weekdays import WeekdaysEdit

SECTION, TEXT, WEIGHT, SCORED, ALLOW_NA, NOTE, ACTION, PHOTO = range(8)


class TemplateEditorDialog(QDialog):
    """One template, saved as its next revision; or a new one (``template`` None), from scratch
    or a copy of ``copy_of``."""

    def __init__(self, template: TemplateRow | None, parent: QWidget | None = None, *,
                 copy_of: TemplateRow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.template = template
        self.copy_of = copy_of
        self.saved: TemplateRow | None = None
        self._busy = False
        if template is not None:
            self.setWindowTitle(self.tr("编辑模板：{name}（第 {n} 版）").replace("{name}", template.name)
                                .replace("{n}", str(template.revision)))
            name, mask, specs = template.name, template.due_weekdays, [i.spec() for i in template.items]
        elif copy_of is not None:
            self.setWindowTitle(self.tr("复制模板：{name}").replace("{name}", copy_of.name))
            name = self.tr("{name}（副本）").replace("{name}", copy_of.name)
            mask, specs = copy_of.due_weekdays, [i.spec() for i in copy_of.items]
        else:
            self.setWindowTitle(self.tr("新建模板"))
            name, mask, specs = "", ins.EVERY_DAY, [ItemSpec("")]
        self.name = QLineEdit(name)
        self.name.setObjectName("templateName")
        self.name.setMaxLength(ins.MAX_NAME + 10)
        self.weekdays = WeekdaysEdit(mask, "weekday")
        self.days = self.weekdays.boxes

        self.table = QTableWidget(0, 8)
        self.table.setObjectName("templateItems")
        self.table.setHorizontalHeaderLabels([self.tr("分组"), self.tr("检查项"), self.tr("权重"), self.tr("计分"),
                                              self.tr("可不适用"), self.tr("不合格须说明"), self.tr("不合格生成整改"),
                                              self.tr("不合格须拍照")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((SECTION, 90), (WEIGHT, 48), (SCORED, 48), (ALLOW_NA, 70), (NOTE, 96), (ACTION, 110),
                              (PHOTO, 96)):
            header.resizeSection(column, width)
        for spec in specs:
            self._append(spec)
        self.table.installEventFilter(self)

        self.message = QLabel()
        self.message.setObjectName("templateMessage")
        self.errors = FormErrors(self.message)
        name_error = self.errors.new_label("name", self.name)
        hint = QLabel(self.tr("Insert 添加　Delete 删除　Ctrl+↑/↓ 移动　空格 勾选　Ctrl+S 保存（保存为新版本，"
                              "已有检查记录不受影响）"))
        hint.setStyleSheet("color: #6b7280;")
        hint.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存为新版本 (Ctrl+S)") if template is not None
                                       else self.tr("创建模板 (Ctrl+S)"))
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
        layout.addWidget(self.weekdays)
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
                           (ACTION, spec.action_on_fail), (PHOTO, spec.photo_on_fail)):
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
        return ItemSpec(text(TEXT), text(SECTION), int(weight_text), on(SCORED), on(ALLOW_NA), on(NOTE), on(ACTION),
                        on(PHOTO))

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
        mask = self.weekdays.mask()
        items = tuple(self._spec(row) for row in range(self.table.rowCount()))
        return TemplateInput(self.name.text(), items, mask, self.template.active if self.template else True)

    def save(self) -> None:
        if self._busy:
            return
        self.errors.clear()
        try:
            data = self.data()
        except UserError as error:
            self._refused(error)
            return
        if self.template is not None:
            template_id = self.template.id
            write = lambda: ins.revise_template(template_id, data)  # noqa: E731
        else:
            source = self.copy_of.id if self.copy_of is not None else None
            write = lambda: ins.create_template(data, copy_of=source)  # noqa: E731
        self._busy = True
        Op(self, write, changes={INSPECTION}) \
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
    """Every template, the deactivated ones too: Enter edits, Insert makes a new one, C copies
    the selected one, Delete deactivates it (停用) or reactivates it (启用) — each a revision."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatesDialog")
        self.setWindowTitle(self.tr("检查模板"))
        self.editor: TemplateEditorDialog | None = None
        self._busy = False
        self.list = QListWidget()
        self.list.setObjectName("templatesList")
        self.list.itemActivated.connect(lambda _item: self.edit())
        self.list.installEventFilter(self)
        self.message = QLabel()
        self.message.setObjectName("templatesMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("edit", self.tr("编辑 (Enter)"), self.edit),
                                ("new", self.tr("新建 (Insert)"), self.create),
                                ("copy", self.tr("复制 (C)"), self.copy),
                                ("toggle", self.tr("停用/启用 (Delete)"), self.toggle_active),
                                ("close", self.tr("关闭 (Esc)"), self.reject)):
            button = QPushButton(text)
            button.setObjectName(f"templates_{key}")
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.insertStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("选择模板（停用的模板不排期，也不能开始新的检查）：")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(620, 380)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        QueryOp(self, lambda: ins.templates(include_inactive=True)).success(
            lambda got: self._show(got, select)).run()

    def _show(self, templates: list[TemplateRow], select: int | None = None) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for t in templates:
            text = self.tr("{name}　第 {n} 版　{days}　{k} 项").replace("{name}", t.name) \
                .replace("{n}", str(t.revision)).replace("{days}", ins.weekdays_label(t.due_weekdays)) \
                .replace("{k}", str(len(t.items)))
            item = QListWidgetItem(text if t.active else text + self.tr("　（已停用）"))
            if not t.active:
                item.setForeground(Qt.GlobalColor.gray)
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(item)
        keys = [t.key for t in templates]
        self.list.setCurrentRow(keys.index(select) if select in keys else max(0, min(current, len(keys) - 1)))
        self.list.setFocus()

    def selected(self) -> TemplateRow | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.list and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and not event.modifiers():
            act = {Qt.Key.Key_Insert: self.create, Qt.Key.Key_C: self.copy,
                   Qt.Key.Key_Delete: self.toggle_active}.get(event.key())
            if act is not None:
                act()
                return True
        return super().eventFilter(watched, event)

    def edit(self) -> None:
        template = self.selected()
        if template is not None:
            self._open(TemplateEditorDialog(template, self))

    def create(self) -> None:
        self._open(TemplateEditorDialog(None, self))

    def copy(self) -> None:
        template = self.selected()
        if template is not None:
            self._open(TemplateEditorDialog(None, self, copy_of=template))

    def _open(self, editor: TemplateEditorDialog) -> None:
        if self.editor is not None:
            editor.deleteLater()
            return
        self.message.hide()
        self.editor = editor
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            self.editor = None
            self.reload(select=editor.saved.key if editor.saved is not None else None)

        editor.finished.connect(closed)
        editor.open()

    def toggle_active(self) -> None:
        template = self.selected()
        if template is None or self._busy or self.editor is not None:
            return
        self._busy = True
        self.message.hide()
        Op(self, lambda: ins.set_template_active(template.id, not template.active), changes={INSPECTION}) \
            .success(lambda saved: self.reload(select=saved.key)).failure(self._refused) \
            .finally_(self._ended).run()

    def _ended(self) -> None:
        self._busy = False

    def _refused(self, error: UserError) -> None:
        self.message.setText(error.message)
        self.message.show()
