"""Collect articles: Scrapy spiders and settings."""
