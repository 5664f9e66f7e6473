"""设置 → 告知资料: the papers each business type needs, printed as the 一次性告知单's checklist.

One business at a time: pick it, then edit its papers one a line, ``名称｜用途`` (the purpose is
optional; ``|`` works too). 保存清单 (Alt+S) stores that business's list at once, like the other
lists; a refusal names the line and nothing typed is lost.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import lists, slips
from frontdesk.services.presets import BUSINESS_TYPE
from frontdesk.services.slips import Paper
from frontdesk.ui.kit.changes import SETTINGS
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.operations import Op, QueryOp

SEPARATOR = re.compile(r"[｜|]")
NOTE_STYLE = "color: #6b7280;"


def parse_papers(text: str) -> tuple[Paper, ...]:
    """One paper a line, ``名称｜用途``; blank lines skipped (the service checks the rest)."""
    papers = []
    for line in text.splitlines():
        if line.strip():
            label, *purpose = SEPARATOR.split(line, maxsplit=1)
            papers.append(Paper(label, purpose[0] if purpose else ""))
    return tuple(papers)


def format_papers(papers: tuple[Paper, ...]) -> str:
    return "\n".join(f"{p.label}｜{p.purpose}" if p.purpose else p.label for p in papers)


class PapersPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("papersPage")
        self.business = QComboBox()
        self.business.setObjectName("papersBusiness")
        for entry in lists.entries(BUSINESS_TYPE):
            self.business.addItem(entry.label, entry.id)
        self.business.currentIndexChanged.connect(self._business_changed)
        self._shown: tuple[int | None, str] = (None, "")  # the business shown and its saved text
        self.papers = QPlainTextEdit()
        self.papers.setObjectName("papersText")
        self.papers.setTabChangesFocus(True)
        self.papers.setPlaceholderText(self.tr("每行一项资料，如：\n理赔申请书｜申请理赔\n病历/诊断证明｜证明病情及治疗经过"))
        self.save_button = QPushButton(self.tr("保存清单(&S)"))
        self.save_button.setObjectName("papersSave")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self._guard = SaveGuard(self.save_button)
        self.message = QLabel()
        self.message.setObjectName("papersMessage")
        self.errors = FormErrors(self.message)
        self.status = QLabel()
        self.status.setObjectName("papersStatus")
        self.status.setStyleSheet("color: #2e7d32;")
        note = QLabel(self.tr("打印一次性告知单时，所选业务的资料列成清单，登记时标记的所缺资料已勾选。"
                              "每行“名称｜用途”，用途可不填。"))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)

        form = QFormLayout()
        form.addRow(self.tr("业务类型(&B)"), self.business)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.papers, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(note)
        layout.addWidget(self.save_button)
        self.load()

    def set_read_only(self, read_only: bool) -> None:
        self.papers.setReadOnly(read_only)
        self.save_button.setVisible(not read_only)

    def current_id(self) -> int | None:
        return self.business.currentData()

    def unsaved(self) -> bool:
        return self.papers.toPlainText().strip() != self._shown[1].strip()

    def _business_changed(self, _index: int) -> None:
        """Another business: its list, unless this one's edits are not saved yet (kept, and said)."""
        shown = self._shown[0]
        if shown is not None and shown != self.current_id() and self.unsaved():
            self.business.blockSignals(True)
            self.business.setCurrentIndex(self.business.findData(shown))
            self.business.blockSignals(False)
            self.errors.show(UserError(self.tr("“{business}”的资料清单已修改，请先保存（Alt+S）。").format(
                business=self.business.currentText())))
            return
        self.load()

    def load(self) -> None:
        business = self.current_id()
        self.errors.clear()
        self.status.clear()
        if business is None:
            self.papers.clear()
            return
        QueryOp(self, lambda: slips.papers_for(business)).success(
            lambda papers: self._show(business, papers)).failure(self.errors.show).run()

    def _show(self, business: int, papers: tuple[Paper, ...]) -> None:
        if business == self.current_id():
            text = format_papers(papers)
            self._shown = (business, text)
            self.papers.setPlainText(text)

    def save(self) -> None:
        business = self.current_id()
        if business is None:
            return
        papers = parse_papers(self.papers.toPlainText())
        self.errors.clear()
        self.status.clear()
        self._guard.run(Op(self, lambda: slips.save_papers(business, papers), changes={SETTINGS})
                        .success(lambda saved: self._saved(business, saved))
                        .failure(self.errors.show))

    def _saved(self, business: int, saved: tuple[Paper, ...]) -> None:
        self._show(business, saved)
        self.status.setText(self.tr("已保存“{business}”的资料清单（{n} 项）。").format(
            business=self.business.currentText(), n=len(saved)))

    @property
    def busy(self) -> bool:
        return self._guard.busy
