"""The text analyst worker: extractive summaries, keywords, sentiment and text statistics."""
