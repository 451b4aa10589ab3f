#!/usr/bin/env python3
"""One peer ranking, run by benches/ranking/run.py in its own process (so its wall time
includes reading the CSV, like ours): prints the top K feature names as JSON.

    peer.py FILE TASK {mrmr_default|mrmr_mi|max_relevance} K

mrmr_default: mrmr_selection's mrmr_classif / mrmr_regression as shipped (F-statistic
relevance, |Pearson| redundancy, quotient with mean). mrmr_mi: mrmr_selection's
mrmr_base with scikit-learn's mutual_info_classif/_regression as relevance and
mutual_info_regression between features as redundancy (k = 3, as ours). max_relevance:
the K features with the largest scikit-learn MI to the target.
"""
import json
import sys

import numpy as np
import pandas as pd
from mrmr import mrmr_classif, mrmr_regression
from mrmr.main import mrmr_base
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression


def load(path, task):
    df = pd.read_csv(path)
    y = df.pop("target")
    y = pd.Series(pd.factorize(y)[0], name="target") if task == "classification" else y.astype(float)
    for c in df.columns:
        if not pd.api.types.is_numeric_dtype(df[c]):
            # The text levels are quantile bins level_a < level_b < …: code them in order.
            df[c] = df[c].map(lambda v: np.nan if pd.isna(v) else ord(str(v)[-1]) - ord("a"))
    df = df.astype(float)
    return df.fillna(df.median()), y


def main():
    path, task, which, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    X, y = load(path, task)
    classif = task == "classification"
    mi_target = mutual_info_classif if classif else mutual_info_regression
    if which == "mrmr_default":
        f = mrmr_classif if classif else mrmr_regression
        # n_jobs=1: with joblib workers (n_jobs=-1, the default) each of the K steps starts a
        # process pool, which costs seconds per step at these sizes.
        picked = f(X=X, y=y, K=k, show_progress=False, n_jobs=1)
    elif which == "mrmr_mi":
        def relevance(X, y):
            return pd.Series(mi_target(X, y, n_neighbors=3, random_state=0), index=X.columns)

        def redundancy(X, target_column, features):
            v = mutual_info_regression(X[features], X[target_column], n_neighbors=3, random_state=0)
            return pd.Series(v, index=features)

        picked = mrmr_base(K=k, relevance_func=relevance, redundancy_func=redundancy,
                           relevance_args={"X": X, "y": y}, redundancy_args={"X": X},
                           show_progress=False)
    else:
        mi = pd.Series(mi_target(X, y, n_neighbors=3, random_state=0), index=X.columns)
        picked = list(mi.sort_values(ascending=False).index[:k])
    print(json.dumps([str(c) for c in picked]))


if __name__ == "__main__":
    main()
