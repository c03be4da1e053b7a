"""Logistics planner benchmark: `.venv/bin/python bench/logistics.py [--sizes M,L,L30] [--quick]`.

For each size (seeded instances from bench/logistics_instances.py), in a fresh child process so
that peak memory belongs to that size: `plan_routes` under its time limit (plan time, peak
RSS, weighted lateness, cost, the proven bound and the gap), then, in the same run, the
baselines:

* shortest path per line ignoring capacity (the λ = 0 evaluation): its objective and the
  overloads that plan would cause;
* one OR-Tools min-cost flow per destination, in order of urgency (earliest needed-by first),
  each on the capacities the earlier ones left (origins pooled within a destination; outsize
  limits ignored), stopped after a time cap with the destinations done counted;
* networkx `network_simplex` on the single-destination slice of the first destination,
  against OR-Tools on the same graph (time and optimum);
* on M, a one-hub what-if: the busiest hub closed for ten days, re-planned with `whatif`.

"L30" is L's instance under a 30 s limit, the plan alone (its baselines are L's).

`--quick` runs the per-destination baseline for at most 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coalition.planning.logistics import Closure, NodeKind, Parameters, plan_routes, whatif
from coalition.planning.logistics.bound import COST_SCALE, KG_PER_T, flow_graph
from coalition.planning.logistics.bound import _cap as kg_cap
from coalition.planning.logistics.lagrange import Multipliers, evaluate, make_rows
from coalition.planning.logistics.network import build_arrays
from logistics_instances import SIZES, generate

TIME_LIMIT = {"S": 10.0, "M": 30.0, "L": 120.0, "L30": 30.0}
# runs of another size's instance under their own limit, without the baselines
INSTANCE_OF = {"L30": "L"}
PER_DEST_CAP = {"S": 30.0, "M": 120.0, "L": 150.0}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_size(name: str, quick: bool) -> dict[str, Any]:
    size = SIZES[INSTANCE_OF.get(name, name)]
    network, lines = generate(size)
    p = Parameters(horizon_days=size.days, time_limit_s=TIME_LIMIT[name])
    out: dict[str, Any] = {
        "size": name,
        "nodes": len(network.nodes),
        "lanes": len(network.lanes),
        "days": size.days,
        "lines": len(lines),
        "loadavg_start": os.getloadavg(),
    }
    t0 = time.perf_counter()
    plan = plan_routes(network, lines, parameters=p)
    out |= {
        "plan_s": time.perf_counter() - t0,
        "rss_mib": _rss_mib(),
        "status": str(plan.status),
        "lateness": plan.weighted_lateness,
        "cost": plan.cost,
        "objective": plan.objective,
        "bound": plan.lower_bound,
        "gap": plan.gap,
        "unrouted_units": sum(u.units for u in plan.unrouted),
        "passes": plan.iterations,
        "notes": list(plan.notes),
        "problems": list(plan.problems[:3]),
    }
    if name in INSTANCE_OF:
        out["loadavg_end"] = os.getloadavg()
        return out
    a = build_arrays(network, lines, size.days)

    # baseline 1: every line on its own shortest path, capacity ignored
    t0 = time.perf_counter()
    rows = make_rows(a, np.arange(len(lines)), "none")
    ev, _ = evaluate(
        a,
        rows,
        Multipliers.zeros(a),
        lateness_eur=p.lateness_eur,
        penalty_days=size.days,
        chunk=256,
    )
    over = (ev.usage.tonnes > a.cap_t + 1e-6) & a.available
    fin = np.isfinite(a.cap_h)
    node_over = fin & (ev.usage.handled > a.cap_h + 1e-6)
    ratio = np.where(a.available, ev.usage.tonnes / np.where(a.cap_t > 0, a.cap_t, 1.0), 0.0)
    out |= {
        "sp_s": time.perf_counter() - t0,
        "sp_objective": ev.value,
        "sp_lane_days_over": int(over.sum()),
        "sp_node_days_over": int(node_over.sum()),
        "sp_max_ratio": float(ratio.max()),
    }

    # baseline 2: one OR-Tools min-cost flow per destination, most urgent destination first
    cap = 20.0 if quick else PER_DEST_CAP[name]
    dests = np.unique(a.dest)
    urgency = np.array([a.needed[a.dest == d].min() for d in dests])
    order = dests[np.argsort(urgency, kind="stable")]
    cap_t, cap_h = a.cap_t.copy(), a.cap_h.copy()
    total, done, times = 0.0, 0, []
    t0 = time.perf_counter()
    first_graph = None
    for d in order:
        if time.perf_counter() - t0 > cap:
            break
        ts = time.perf_counter()
        sel = np.flatnonzero(a.dest == d)
        g = flow_graph(a, p.lateness_eur, size.days, sel, cap_t, cap_h)
        if first_graph is None:
            first_graph = g
        smcf, status = g.solve()
        if status != smcf.OPTIMAL:
            break
        flows = smcf.flows(np.arange(g.tail.size))
        e_idx, t_idx = np.nonzero(a.available)
        cap_t[e_idx, t_idx] -= flows[g.lane_arcs] / KG_PER_T
        hv, ht = np.nonzero(kg_cap(a.cap_h) > 0)
        h_open = np.isfinite(a.cap_h[hv, ht])
        cap_h[hv[h_open], ht[h_open]] -= flows[g.handling_arcs][h_open] / KG_PER_T
        total += smcf.optimal_cost() / (KG_PER_T * COST_SCALE)
        done += 1
        times.append(time.perf_counter() - ts)
    out |= {
        "pd_s": time.perf_counter() - t0,
        "pd_done": done,
        "pd_dests": int(dests.size),
        "pd_objective": total if done == dests.size else None,
        "pd_each": (min(times), max(times)) if times else None,
    }

    # baseline 3: networkx on the first destination's slice, against OR-Tools on it
    if first_graph is not None:
        import networkx as nx

        g = first_graph
        ts = time.perf_counter()
        smcf, _ = g.solve()
        ort_s, ort_cost = time.perf_counter() - ts, smcf.optimal_cost()
        G = nx.MultiDiGraph()  # parallel lanes between the same two nodes
        G.add_nodes_from((int(i), {"demand": -int(s)}) for i, s in enumerate(g.supply))
        for u, v, c, w in zip(
            g.tail.tolist(), g.head.tolist(), g.capacity.tolist(), g.cost.tolist(), strict=True
        ):
            G.add_edge(u, v, capacity=c, weight=w)
        ts = time.perf_counter()
        nx_cost, _ = nx.network_simplex(G)
        out |= {
            "slice_arcs": int(g.tail.size),
            "slice_ortools_s": ort_s,
            "slice_nx_s": time.perf_counter() - ts,
            "slice_same_optimum": int(nx_cost) == int(ort_cost),
        }

    # what-if on M: close the busiest hub for ten days
    if name in ("M", "S"):
        kinds = np.array([n.kind in (NodeKind.HUB, NodeKind.BORDER) for n in network.nodes])
        busiest = int(np.argmax(np.where(kinds, plan.node_tonnes.sum(axis=1), -1.0)))
        hub = network.nodes[busiest].id
        ts = time.perf_counter()
        w = whatif(network, lines, plan, [Closure(hub, 10, 19)], time_limit=3.0)
        out |= {
            "wi_s": time.perf_counter() - ts,
            "wi_hub": hub,
            "wi_rerouted": len(w.rerouted_lines),
            "wi_delayed": len(w.delayed),
            "wi_late_units": sum(w.newly_late_units.values()),
            "wi_sat_lanes": len(w.newly_saturated_lanes),
            "wi_sat_nodes": len(w.newly_saturated_nodes),
            "wi_status": str(w.plan.status),
            "wi_objective": w.plan.objective,
        }
    out["loadavg_end"] = os.getloadavg()
    return out


def _fmt(x: Any, spec: str = ",.0f") -> str:
    return "—" if x is None else format(x, spec)


def _cells(results: list[dict[str, Any]], cell: Any) -> list[str]:
    """`cell(r)` per result, "—" where a result has no such figure (a plan-only run)."""
    out = []
    for r in results:
        try:
            out.append(cell(r))
        except (KeyError, TypeError):
            out.append("—")
    return out


def table(results: list[dict[str, Any]]) -> str:
    cols = [r["size"] for r in results]
    rows: list[tuple[str, list[str]]] = [
        ("nodes × days × lines", [f"{r['nodes']} × {r['days']} × {r['lines']:,}" for r in results]),
        ("lanes", [str(r["lanes"]) for r in results]),
        ("status", [r["status"] for r in results]),
        (
            "plan time (s) [limit]",
            [f"{r['plan_s']:.1f} [{TIME_LIMIT[r['size']]:.0f}]" for r in results],
        ),
        ("peak RSS (MiB)", [f"{r['rss_mib']:.0f}" for r in results]),
        ("weighted lateness (unit-days)", [_fmt(r["lateness"]) for r in results]),
        ("cost (EUR)", [_fmt(r["cost"]) for r in results]),
        ("objective = 1000·lateness + cost", [_fmt(r["objective"]) for r in results]),
        ("proven lower bound", [_fmt(r["bound"]) for r in results]),
        ("gap", [f"{100 * r['gap']:.2f}%" for r in results]),
        ("unrouted units", [str(r["unrouted_units"]) for r in results]),
        (
            "shortest paths, no capacity: objective",
            _cells(results, lambda r: _fmt(r["sp_objective"])),
        ),
        (
            "… lane-days / node-days overloaded",
            _cells(results, lambda r: f"{r['sp_lane_days_over']:,} / {r['sp_node_days_over']:,}"),
        ),
        ("… worst lane overload", _cells(results, lambda r: f"{r['sp_max_ratio']:.1f}×")),
        (
            "OR-Tools flow per destination: done [s]",
            _cells(results, lambda r: f"{r['pd_done']}/{r['pd_dests']} [{r['pd_s']:.0f}]"),
        ),
        ("… objective (all destinations)", _cells(results, lambda r: _fmt(r["pd_objective"]))),
        (
            "… seconds per destination",
            _cells(results, lambda r: f"{r['pd_each'][0]:.1f}–{r['pd_each'][1]:.1f}"),
        ),
        ("one-destination slice: arcs", [_fmt(r.get("slice_arcs")) for r in results]),
        (
            "… OR-Tools / networkx (s)",
            [
                f"{r['slice_ortools_s']:.1f} / {r['slice_nx_s']:.1f}" if "slice_nx_s" in r else "—"
                for r in results
            ],
        ),
        ("… same optimum", [str(r.get("slice_same_optimum", "—")) for r in results]),
    ]
    if any("wi_s" in r for r in results):
        rows += [
            ("what-if: busiest hub closed days 10–19", [r.get("wi_hub", "—") for r in results]),
            (
                "… time (s) / status",
                [f"{r['wi_s']:.2f} / {r['wi_status']}" if "wi_s" in r else "—" for r in results],
            ),
            (
                "… lines re-routed / delayed / units newly late",
                [
                    f"{r['wi_rerouted']} / {r['wi_delayed']} / {r['wi_late_units']}"
                    if "wi_s" in r
                    else "—"
                    for r in results
                ],
            ),
            (
                "… lane-days / node-days newly saturated",
                [
                    f"{r['wi_sat_lanes']} / {r['wi_sat_nodes']}" if "wi_s" in r else "—"
                    for r in results
                ],
            ),
        ]
    rows.append(
        (
            "load average at start / end",
            [f"{r['loadavg_start'][0]:.2f} / {r['loadavg_end'][0]:.2f}" for r in results],
        )
    )
    lines = ["| size | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    lines += [f"| {label} | " + " | ".join(vals) + " |" for label, vals in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="M,L,L30")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.quick)))
        return
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results = []
    for name in args.sizes.split(","):
        cmd = [sys.executable, __file__, "--child", name] + (["--quick"] if args.quick else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{name}: {json.dumps(r)}", file=sys.stderr)
        results.append(r)
    print(table(results))


if __name__ == "__main__":
    main()
