"""Domain rules, one module per area. Free of Qt; hands out plain frozen dataclasses."""
