//! Neighbour searches shared by the kNN estimators.
