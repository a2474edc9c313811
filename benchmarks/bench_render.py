"""Speed of scaffold against its peers, measured side by side in one run.

    python benchmarks/bench_render.py [--runs 21]

Run it with the interpreter of an environment where scaffold is installed
(`pip install '.[test]'`), so both parts measure the installed package as users get it.

1. Cold start: `scaffold render nginx` against
   `kubectl create deployment nginx-test --image=nginx:latest --replicas=3 --dry-run=client -o yaml`,
   each a fresh process, interleaved; the median wall times and their ratio (target: <= 3x).
2. Library: `scaffold.render()` of a realistic preset (web-app: Deployment, Service and seven
   companions; three probes, hook, volume, security context) against
   `kubernetes_validate.validate()` (strict) of every object it produces, in one process;
   median per call and the speed-up (target: scaffold >= 10x faster). The Deployment-only
   figure (the peer while web-app rendered two objects) is printed beside it.

Prints ratios, not pass/fail: the numbers depend on the machine, the ratios much less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path



def _scaffold_cmd() -> list[str]:
    """The installed console script beside this interpreter (as users run it)."""
    script = Path(sys.executable).parent / "scaffold"
    if script.exists():
        return [str(script), "render", "nginx", "-q"]
    return [sys.executable, "-m", "scaffold", "render", "nginx", "-q"]


KUBECTL = ["kubectl", "create", "deployment", "nginx-test", "--image=nginx:latest", "--replicas=3", "--dry-run=client", "-o", "yaml"]


def _wall(cmd: list[str]) -> float:
    # Run outside the checkout, so `-m scaffold` measures the installed package (with its
    # compiled .pyc files), not the source tree.
    # PYTHONDONTWRITEBYTECODE (set in some sandboxes) would keep the warm-up runs from writing
    # the .pyc files an install has, and every run would compile the package again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=tempfile.gettempdir(),
        env={**env, "NO_COLOR": "1"},
    )
    return time.perf_counter() - start


def cold_start(runs: int) -> None:
    scaffold = _scaffold_cmd()
    have_kubectl = shutil.which("kubectl") is not None
    for _ in range(2):  # warm the OS caches and .pyc files for both
        _wall(scaffold)
        if have_kubectl:
            _wall(KUBECTL)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(_wall(scaffold))
        if have_kubectl:
            theirs.append(_wall(KUBECTL))
    ms = statistics.median(ours) * 1000
    print(f"cold start   {' '.join(Path(scaffold[0]).name if i == 0 else a for i, a in enumerate(scaffold))}")
    print(f"cold start   scaffold render nginx        median {ms:7.1f} ms  ({runs} runs)")
    if not have_kubectl:
        print("cold start   kubectl not installed: no ratio")
        return
    k = statistics.median(theirs) * 1000
    print(f"cold start   kubectl create --dry-run     median {k:7.1f} ms")
    print(f"cold start   ratio scaffold / kubectl     {ms / k:7.2f}x   (target <= 3x)")


def _per_call(func, *, seconds: float = 2.0) -> float:
    func()
    n, start = 0, time.perf_counter()
    samples = []
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        func()
        samples.append(time.perf_counter() - t)
        n += 1
    return statistics.median(samples)


def library() -> None:
    import scaffold  # the installed package (pip install '.[test]'), as deployment scripts use it

    preset = scaffold.load_preset("web-app")
    render_s = _per_call(lambda: scaffold.render(preset))
    print(f"library      scaffold.render(web-app)      median {render_s * 1000:7.3f} ms")
    try:
        import kubernetes_validate
    except ImportError:
        print("library      kubernetes-validate not installed: no ratio (pip install '.[test]')")
        return
    objects = scaffold.render(preset)
    version = kubernetes_validate.latest_version()

    def validate_all() -> None:
        for obj in objects:
            kubernetes_validate.validate(obj, version, strict=True)

    # The peer checks the same output scaffold writes: every object (web-app renders a
    # Deployment, its Service and seven companions). Validating the Deployment alone was the
    # peer while web-app rendered two objects; that figure is printed too, for comparison.
    kv_s = _per_call(validate_all)
    kv_one = _per_call(lambda: kubernetes_validate.validate(objects[0], version, strict=True))
    print(f"library      kubernetes_validate (strict)  median {kv_s * 1000:7.3f} ms  ({len(objects)} objects, k8s {version})")
    print(f"library      speed-up scaffold vs k-v      {kv_s / render_s:7.1f}x   (target >= 10x)")
    print(f"library      (k-v of the Deployment alone: {kv_one * 1000:.3f} ms, {kv_one / render_s:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="cold-start runs of each command")
    args = parser.parse_args()
    cold_start(args.runs)
    library()


if __name__ == "__main__":
    main()
