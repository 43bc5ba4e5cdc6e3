"""`python -m newswatch` (how the scheduler starts a crawl in a child process)."""

from newswatch.cli import main

main()
