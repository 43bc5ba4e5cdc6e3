"""Data files shipped with newswatch (see NOTICE.md for their sources and licences)."""
