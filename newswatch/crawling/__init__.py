"""What the crawl and the pipelines both speak: items, stats keys, signals, request meta keys and page kinds."""
