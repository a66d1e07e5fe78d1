"""The librarian worker: BM25 search over a local document library and cited, extractive answers."""
