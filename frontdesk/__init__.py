"""FrontDesk 前台值班台 — the front-desk and duty-manager desk of a Chinese service hall."""

__version__ = "0.1.0"
APP_NAME = "FrontDesk"
