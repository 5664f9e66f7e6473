"""The administrator's and duty manager's windows: users, settings, backups, the audit log."""
