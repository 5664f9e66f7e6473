"""The checklist inspections tab (检查巡检)."""
