"""OncoGuide Streamlit user interface (imports rag; rag never imports this package)."""
