"""Offline OCR of image-only (scanned) PDF pages with the local Tesseract engine.

Tesseract is a system program (Debian ``tesseract-ocr``) driven through ``pytesseract``.
When it is not installed or switched off, ``PageReader.from_settings`` gives ``None`` and
scanned pages are skipped with a reason, as before. OCR text keeps Tesseract's mean word
confidence so the sources can show how far it may be trusted.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

from rag.config import Settings

# Words Tesseract reads with less confidence than this are left out of the page text.
MIN_WORD_CONFIDENCE = 30.0


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # mean word confidence, 0-100


class PageReader:
    """Reads the embedded images of one PDF page with Tesseract."""

    def __init__(self, command: str, language: str) -> None:
        self.command = command
        self.language = language

    @classmethod
    def from_settings(cls, settings: Settings) -> PageReader | None:
        """A reader when OCR is on and the Tesseract program is found, else ``None``."""
        if settings.ocr == "off":
            return None
        command = shutil.which(settings.tesseract_cmd)
        return cls(command, settings.ocr_language) if command else None

    def read(self, page: Any) -> OcrText | None:
        """OCR text of a pypdf page's images, top to bottom; ``None`` when nothing is read."""
        import pytesseract

        pytesseract.pytesseract.tesseract_cmd = self.command
        lines: list[str] = []
        confidences: list[float] = []
        for image in page.images:
            data = pytesseract.image_to_data(
                image.image, lang=self.language, output_type=pytesseract.Output.DICT
            )
            current: tuple[int, int, int] | None = None
            words: list[str] = []
            for i, word in enumerate(data["text"]):
                confidence = float(data["conf"][i])
                if not word.strip() or confidence < MIN_WORD_CONFIDENCE:
                    continue
                key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
                if key != current and words:
                    lines.append(" ".join(words))
                    words = []
                    if current is not None and key[:2] != current[:2]:
                        lines.append("")  # a new paragraph
                current = key
                words.append(word)
                confidences.append(confidence)
            if words:
                lines.append(" ".join(words))
        text = "\n".join(lines).strip()
        if not text:
            return None
        return OcrText(text, sum(confidences) / len(confidences))
