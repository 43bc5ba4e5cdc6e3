"""Article stages: extract (trafilatura), detect (announcements), store (SQLAlchemy)."""
