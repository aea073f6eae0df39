"""Slider -> updated figure in the browser, for every live dashboard (``make bench``).

Serves the notebooks with ``bpo-analysis present`` (Voilà on 127.0.0.1), opens each
dashboard in Debian's Chromium, and moves its slider one step at a time with the keyboard
(right, then back left), timing each move from the key press to the frame in which the
first figure of the dashboard shows new data. Target: a median of at most 300 ms.

    python benchmarks/voila_latency.py            # every dashboard, 10 moves each
    python benchmarks/voila_latency.py 07 --moves 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bpo_analysis.reporting import serve  # noqa: E402
from tests import voila_driver as drv  # noqa: E402

TARGET_S = 0.300


def measure(names: list[str] | None = None, moves: int = 10) -> dict[str, list[float]]:
    """Seconds per move, for each dashboard whose notebook name starts with one of
    ``names`` (all when None)."""
    from playwright.sync_api import sync_playwright

    chosen = [(n, s) for n, s in drv.DASHBOARDS if not names or n.startswith(tuple(names))]
    out: dict[str, list[float]] = {}
    log = Path(tempfile.gettempdir()) / "bpo-bench-voila.log"
    app = serve.start(port=0, cull_idle_s=30, wait_s=120, log=log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=drv.CHROMIUM, args=drv.ARGS)
            for name, slider in chosen:
                page = drv.open_page(browser, app.url_of(name))
                times = []
                for i in range(moves):
                    key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
                    times.append(drv.press(page, slider, key))
                    page.wait_for_timeout(400)  # let the other figures and cards settle
                out[name] = times
                page.close()
            browser.close()
    finally:
        app.stop()
    return out


def lines(res: dict[str, list[float]]) -> list[str]:
    """The figures, one line per dashboard and one for all, each with its ratio to the
    300 ms target."""
    every = [t for ts in res.values() for t in ts]
    out = [f"{'browser: slider -> updated figure (Voila, Chromium)':<64} {'median':>10} "
           f"{'max':>10}  ratio to the {TARGET_S * 1000:.0f} ms median target"]
    for name, ts in [*res.items(), ("all dashboards", every)]:
        med = statistics.median(ts)
        out.append(f"  {name:<62} {med * 1e3:>8.0f}ms {max(ts) * 1e3:>8.0f}ms  "
                   f"{med / TARGET_S:.2f}x of the target ({len(ts)} moves)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="dashboards (notebook name prefixes)")
    ap.add_argument("--moves", type=int, default=10)
    args = ap.parse_args(argv)
    res = measure(args.names, args.moves)
    print("\n".join(lines(res)))
    every = [t for ts in res.values() for t in ts]
    return 0 if statistics.median(every) <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
