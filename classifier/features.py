"""Feature and pipeline builders shared by the product model and the tipdm benchmark.

Why word + character n-grams: jieba words carry meaning ("化粪池", "飞线充电") but segmentation
breaks on typos, dialect and run-on voice input; character 1–3-grams are robust to exactly those.
Sublinear tf keeps long formal letters from drowning short chat lines. Keyword hits from
categories.csv carry admin knowledge to phrasings the generated corpus never produced.
"""

from __future__ import annotations

import math
import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from .categories import load_categories
from .tokenize import WordAnalyzer


# Class weighting of the category head, shared by the product model and the TipDM benchmark so both
# measure the same pipeline kind. "balanced": on TipDM (7 classes, 250-809 rows each) it scored
# >= unweighted at every C tried (+0.1-0.4 macro-F1 points, within one fold std); on the generated
# corpus (230 complaints per category) it is a no-op, but it keeps leader corrections (--extra),
# which arrive unevenly, from tilting the head towards busy categories.
CATEGORY_CLASS_WEIGHT: str | None = "balanced"


def build_features(
    min_df: int = 1,
    max_features: int | None = 200_000,
    keywords: dict[str, tuple[str, ...]] | None = None,
) -> FeatureUnion:
    """Word (jieba unigram) TF-IDF ∪ character 1–3-gram TF-IDF ∪ category keyword hits.

    Word bigrams were dropped: on the held-out split they memorised the generator's templates
    (category macro-F1 0.62 with bigrams vs 0.83 with unigrams + keyword hits).
    """
    word = TfidfVectorizer(
        analyzer=WordAnalyzer(bigrams=False),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )
    return FeatureUnion([("word", word), ("char", char), ("keywords", KeywordHits(keywords))])


def build_head(C: float = 0.5, class_weight: str | None = None, random_state: int = 0) -> TemperatureSVC:
    """Linear SVM with one temperature-scaled softmax on top (see TemperatureSVC)."""
    return TemperatureSVC(C=C, class_weight=class_weight, random_state=random_state)


class TemperatureSVC(ClassifierMixin, BaseEstimator):
    """LinearSVC whose scores become probabilities through softmax(score / T).

    Why: on TipDM a LinearSVC beats LogisticRegression by ~3 macro-F1 points, but the bot needs
    confidences to decide when a human must review. CalibratedClassifierCV would multiply predict
    cost by its folds; a single temperature, fitted on a 20 % hold-out of the training data and
    folded into the weights, keeps prediction at one sparse dot product.
    """

    def __init__(
        self,
        C: float = 0.5,
        class_weight: str | None = None,
        holdout: float = 0.2,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.holdout = holdout
        self.random_state = random_state

    def _svc(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=5000)

    def fit(self, X, y, groups=None):
        """`groups` (e.g. the generator's fragment ids) makes the calibration hold-out contain only
        phrasings the part-model never saw; without it a random split of template-generated data
        calibrates to near-certainty and nothing is ever flagged for review."""
        y = np.asarray(y)
        self.temperature_ = 1.0
        classes, counts = np.unique(y, return_counts=True)
        if self.holdout and len(classes) > 1 and counts.min() >= 2:
            if groups is not None:
                from sklearn.model_selection import GroupShuffleSplit

                split = GroupShuffleSplit(n_splits=1, test_size=self.holdout, random_state=self.random_state)
                a, b = next(split.split(X, y, groups))
            else:
                from sklearn.model_selection import train_test_split

                a, b = train_test_split(
                    np.arange(len(y)),
                    test_size=self.holdout,
                    stratify=y,
                    random_state=self.random_state,
                )
            part = self._svc().fit(X[a], y[a])
            known = np.isin(y[b], part.classes_)
            b = b[known]
            self.temperature_ = _fit_temperature(_scores(part, X[b]), np.searchsorted(part.classes_, y[b]))
        svc = self._svc().fit(X, y)
        self.classes_ = svc.classes_
        coef, intercept = svc.coef_, svc.intercept_
        if coef.shape[0] == 1:  # binary: expand to two symmetric rows so softmax == sigmoid
            coef = np.vstack([-coef, coef]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
        self.coef_ = coef / self.temperature_
        self.intercept_ = intercept / self.temperature_
        return self

    def decision_function(self, X):
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict_proba(self, X):
        z = self.decision_function(X)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.decision_function(X).argmax(axis=1)]


def _scores(svc: LinearSVC, X) -> np.ndarray:
    z = svc.decision_function(X)
    return np.column_stack([-z / 2, z / 2]) if z.ndim == 1 else z


def _fit_temperature(z: np.ndarray, y_idx: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of softmax(z / T) on held-out rows."""
    from scipy.optimize import minimize_scalar
    from scipy.special import logsumexp

    def nll(log_t: float) -> float:
        s = z / math.exp(log_t)
        return float(np.mean(logsumexp(s, axis=1) - s[np.arange(len(y_idx)), y_idx]))

    res = minimize_scalar(nll, bounds=(-4.0, 3.0), method="bounded")
    return float(math.exp(res.x))


class KeywordHits(BaseEstimator, TransformerMixin):
    """Per-category count of admin keywords (categories.csv) found in the text, log-scaled.

    Why: generated training data only covers so many phrasings; a keyword an admin adds still
    pushes its category even in a sentence shape the model never saw, which is what makes the
    category file extendable without writing new training text.
    """

    def __init__(self, keywords: dict[str, tuple[str, ...]] | None = None, weight: float = 0.5) -> None:
        self.keywords = keywords
        self.weight = weight

    def fit(self, X, y=None):
        kw = self.keywords if self.keywords is not None else {c.code: c.keywords for c in load_categories().values()}
        self.codes_ = sorted(kw)
        self.kw_ = [tuple(kw[c]) for c in self.codes_]
        return self

    def _index(self):
        # One regex scan per message instead of ~400 substring tests; built lazily, not pickled.
        cached = self.__dict__.get("_re")
        if cached is None:
            owners: dict[str, list[int]] = {}
            for j, words in enumerate(self.kw_):
                for w in words:
                    owners.setdefault(w, []).append(j)
            pattern = "|".join(re.escape(w) for w in sorted(owners, key=len, reverse=True))
            cached = self.__dict__["_re"] = (
                re.compile(pattern) if pattern else None,
                owners,
            )
        return cached

    def transform(self, X):
        regex, owners = self._index()
        rows, cols, vals = [], [], []
        for i, text in enumerate(X):
            if regex is None:
                break
            hits: dict[int, int] = {}
            for w in set(regex.findall(text)):
                for j in owners[w]:
                    hits[j] = hits.get(j, 0) + 1
            for j, n in hits.items():
                rows.append(i)
                cols.append(j)
                vals.append(self.weight * math.log1p(n))
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(X), len(self.kw_)), dtype=np.float32)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_re", None)
        return state

    def get_feature_names_out(self, input_features=None):
        return np.array([f"kw_{c}" for c in self.codes_], dtype=object)


class CompiledFeatures:
    """Per-message transform of a fitted FeatureUnion without sklearn's per-call validation.

    Why: TfidfVectorizer.transform spends ~1 ms per call on input checks; for one short chat
    message the real work (n-grams, dict lookups, a norm) is tens of microseconds. This replays
    exactly the fitted vocabulary, idf, sublinear tf and l2 norm (tests compare it with sklearn).
    """

    def __init__(self, union: FeatureUnion) -> None:
        self.blocks: list[tuple] = []
        offset = 0
        for _, tr in union.transformer_list:
            if isinstance(tr, TfidfVectorizer):
                idf = [float(v) for v in tr.idf_]  # plain floats: cheaper than numpy for ~50 values
                self.blocks.append(
                    (
                        "tfidf",
                        tr.build_analyzer(),
                        tr.vocabulary_,
                        idf,
                        tr.sublinear_tf,
                        tr.norm,
                        offset,
                    )
                )
                offset += len(idf)
            else:
                n = len(tr.get_feature_names_out())
                self.blocks.append(("other", tr, offset))
                offset += n
        self.n_features = offset

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        indptr, indices, data = [0], [], []
        others = [(b[1], b[2]) for b in self.blocks if b[0] == "other"]
        other_rows = [tr.transform(texts).tocsr() for tr, _ in others]
        for i, text in enumerate(texts):
            for block in self.blocks:
                if block[0] != "tfidf":
                    continue
                _, analyze, vocab, idf, sublinear, norm, off = block
                counts: dict[int, int] = {}
                for tok in analyze(text):
                    j = vocab.get(tok)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                cols = sorted(counts)
                if sublinear:
                    vals = [(1.0 + math.log(counts[j])) * idf[j] for j in cols]
                else:
                    vals = [counts[j] * idf[j] for j in cols]
                if norm == "l2":
                    scale = 1.0 / math.sqrt(sum(v * v for v in vals))
                    vals = [v * scale for v in vals]
                indices.extend([off + j for j in cols])
                data.extend(vals)
            for (_, off), m in zip(others, other_rows):
                s, e = m.indptr[i], m.indptr[i + 1]
                indices.extend((m.indices[s:e] + off).tolist())
                data.extend(m.data[s:e].tolist())
            indptr.append(len(indices))
        X = sp.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                indptr,
            ),
            shape=(len(texts), self.n_features),
        )
        X.sort_indices()
        return X
