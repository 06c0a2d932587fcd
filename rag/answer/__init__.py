"""Answer stage: prompts, the language models behind one protocol, and drafting."""
