"""The writer worker: structured Markdown reports, outlines and executive summaries from supplied material."""
