"""Lexical retrieval: BM25 over the same chunks as the vector index.

Scores are Lucene's BM25 (k1 = 1.5, b = 0.75), the variant bm25s computes by default, done
here in NumPy: importing bm25s pulls in SciPy's sparse matrices, about a quarter of a cold
``oncoguide ask``. tests/test_lexical.py proves the scores equal bm25s's on random corpora.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import Stemmer

# Keeps decimals and unit fractions together: "2.5", "mg/m2", "ct-colonography" → parts.
_TOKEN = re.compile(r"[a-z0-9]+(?:[.][0-9]+)?")
_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves according guideline guidelines recommend recommended recommendation
    recommendations say says said""".split()
)
_stemmer = Stemmer.Stemmer("english")

# Words that describe the patient, not the topic. Guideline content does not depend on them,
# so their absence from the corpus must never make a question "not found" (found by the
# counterfactual equity check: "...who prefers to speak Arabic" flipped answers).
PATIENT_DESCRIPTORS = frozenset(
    """white black hispanic latino latina latinx asian american indian native alaska pacific
    islander hawaiian african caucasian arab arabic middle eastern jewish roma spanish mandarin
    chinese cantonese english french portuguese vietnamese korean russian hindi urdu bengali
    tagalog somali haitian creole polish italian german japanese turkish farsi persian
    ethnicity race language prefers prefer speak speaks speaking interpreter woman women man men
    male female transgender nonbinary gender sex person people patient patients year years old
    aged age""".split()
)


def content_words(text: str) -> list[str]:
    """Lower-cased words without stop words, unstemmed."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS]


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed terms."""
    return list(_stemmer.stemWords(content_words(text)))


K1 = 1.5
B = 0.75


class LexicalIndex:
    """Immutable BM25 index over ``ids``/``texts``; rebuilt when the corpus snapshot changes."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        self.ids = list(ids)
        self.id_set = frozenset(self.ids)
        # term → (row numbers of the chunks holding it, their BM25 weight for it)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if self.ids:
            counts = [Counter(tokenize(t) or ["\x00empty"]) for t in texts]
            lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
            norms = K1 * (1 - B + B * lengths / lengths.mean())
            rows: dict[str, list[int]] = {}
            for row, count in enumerate(counts):
                for term in count:
                    rows.setdefault(term, []).append(row)
            n = len(counts)
            for term, held in rows.items():
                at = np.array(held, dtype=np.int64)
                tf = np.array([counts[r][term] for r in held], dtype=np.float64)
                idf = math.log(1 + (n - len(held) + 0.5) / (len(held) + 0.5))
                weights = (idf * tf / (norms[at] + tf)).astype(np.float32)
                self._postings[term] = (at, weights)
        self.vocabulary: frozenset[str] = frozenset(self._postings)
        self._sorted_vocabulary = sorted(self.vocabulary)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk for the stemmed ``terms`` (a repeated term counts again)."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        for term in terms:
            if term in self._postings:
                at, weights = self._postings[term]
                total[at] += weights
        return total

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Best ``k`` (chunk id, BM25 score) pairs with a positive score."""
        terms = [t for t in tokenize(query) if t in self.vocabulary]
        if not terms:
            return []
        scores = self.scores(terms)
        top = np.argsort(-scores, kind="stable")[: min(k, len(self.ids))]  # ties: corpus order
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def knows(self, term: str) -> bool:
        """A stemmed term occurs in the corpus, allowing for stemmer disagreements between
        variants of one word ("mammogram"/"mammography"): a shared 7-letter prefix counts."""
        if term in self.vocabulary:
            return True
        if len(term) < 7:
            return False
        prefix = term[:7]
        at = bisect.bisect_left(self._sorted_vocabulary, prefix)
        return at < len(self._sorted_vocabulary) and self._sorted_vocabulary[at].startswith(prefix)

    def unknown_words(self, query: str) -> list[str]:
        """Content words of ``query`` (unstemmed) that occur nowhere in the indexed corpus."""
        words = content_words(query)
        stems = _stemmer.stemWords(words)
        return [w for w, t in zip(words, stems, strict=True) if not self.knows(t)]
