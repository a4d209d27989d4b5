"""Collecting: polite HTTP fetching (robots.txt, rate limits, limits) and article extraction."""

from ttdn.collect.fetcher import Fetcher, FetchResult, check_url

__all__ = ["FetchResult", "Fetcher", "check_url"]
