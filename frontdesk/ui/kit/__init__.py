"""What every tab shares: the database worker, operations, the change bus, tables and forms."""
