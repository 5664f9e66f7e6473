"""The visitor register tab (来访登记): quick entry, waiting panel, register table, dialogs."""
