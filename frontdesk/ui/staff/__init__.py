"""The staff roster (人员名册) and the day's duty list."""
