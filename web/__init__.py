"""The read-only web view (`newswatch serve`): announcements, charts, crawl health, Atom, JSON, metrics.

It reads the store and writes one thing only: an unsubscription, on a signed one-click POST.
"""
