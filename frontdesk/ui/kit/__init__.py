"""What every tab shares, once: the database worker, operations, the change bus, tables and forms.

- ``worker``: the one database thread (``DbWorker``, ``shared_worker``);
- ``operations``: ``Op`` (a write: on the worker, its changes told) and ``QueryOp`` (a read),
  ``Progress`` for long jobs;
- ``changes``: the change bus (``change_bus()``, kinds ``VISIT``, ``USER``, ``SETTINGS`` …);
- ``paged_model``: ``PagedTableModel`` over a ``RowSource`` and ``Column`` descriptions;
- ``record_table``: ``RecordTable`` (filter bar host, debounce, polling, selection kept by id,
  dialogs that refresh it);
- ``forms``, ``common``, ``conflict_panel``: ``field_box``, ``FormErrors``, ``SaveGuard`` (one save
  at a time for a form), ``WorkerFormDialog``,
  ``ConflictPanel``;
- ``tab``: the ``Tab`` protocol the main window speaks.

A new tab, in short::

    class ComplaintSource(SourceBase[ComplaintQuery, ComplaintRow]):      # thin adapter
        def count(self, q): return complaints.count(q)
        def page(self, q, offset, size, total): return complaints.rows(q, offset, size)

    class ComplaintTable(RecordTable):
        def __init__(self):
            super().__init__(PagedTableModel(ComplaintSource(), COLUMNS, ComplaintQuery()))
            self.search = QLineEdit(); self.search.textChanged.connect(self.debounced().start)
        def current_query(self): return ComplaintQuery(text=self.search.text())
        def open_selected(self): self.open_dialog(ComplaintFormDialog(self.selected_id(), self))

    # in the form dialog: Op(self, lambda: complaints.update(id, data, expected=detail),
    #                        changes={"complaint"}).success(self._saved).failure(self._refused).run()
"""
