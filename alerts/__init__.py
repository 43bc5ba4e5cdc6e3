"""Alerts: digests, webhook channels, the delivery ledger and the scheduler."""
