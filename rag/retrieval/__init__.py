"""Retrieval stage: embeddings, the Chroma and BM25 indexes, and hybrid search."""
