"""Split the pair table into independent sub-problems (connected components).

Two pairs interact only through a shared offer row, a shared requirement row or a shared
new-type variable y[f,t]. The bipartite graph offers–requirements plus one node per new-type
group (joined to every requirement it touches) therefore splits the MILP exactly: the optimum
of the whole is the sum of the optima of the components.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .pairs import IntArray, PairTable


def split_components(table: PairTable) -> list[IntArray]:
    """Global pair indices of each component, largest component first."""
    if table.n_pairs == 0:
        return []
    n_o = table.offer_quantity.size
    n_r = table.requirement_quantity.size
    n_g = table.group_penalty.size
    grouped = table.group >= 0
    rows = np.concatenate([table.offer, n_o + table.requirement[grouped]])
    cols = np.concatenate([n_o + table.requirement, n_o + n_r + table.group[grouped]])
    n = n_o + n_r + n_g
    graph = sp.coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    pair_label = label[table.offer]
    order = np.argsort(pair_label, kind="stable")
    sorted_labels = pair_label[order]
    cuts = np.flatnonzero(np.diff(sorted_labels)) + 1
    parts = np.split(order, cuts)
    parts.sort(key=lambda p: (-p.size, int(p[0])))
    return [p.astype(np.int64) for p in parts]
