"""The complaint tickets tab (投诉工单)."""
