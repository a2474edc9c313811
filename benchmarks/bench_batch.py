"""Batch rendering: 200 presets in one `scaffold render` against 200 kubectl calls, side by side.

    python benchmarks/bench_batch.py [--presets 200] [--runs 5]

Run it with the interpreter of an environment where scaffold is installed (see README.md
here). It writes N generated presets (Deployments with ports, probes, resources, half of them
with a Service) to a temporary directory, then measures, interleaved:

1. `scaffold render DIR -q` (one process renders all N, output to /dev/null), and
2. N processes of `kubectl create deployment APP --image=IMAGE --replicas=R --dry-run=client
   -o yaml`, one per app, as a shell loop over apps would run them;

and prints the median wall time of each, their ratio (target: scaffold >= 20x faster), and
the peak memory (max RSS) of the scaffold process and of one kubectl process. kubectl writes
a bare Deployment; scaffold also writes the Services and checks every object, so the
comparison favours kubectl.
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

IMAGES = ["nginx:1.27", "redis:7.2", "ghcr.io/acme/api:2.4.1", "registry.example.com:5000/team/worker:1.0"]


def generate(folder: Path, count: int) -> list[tuple[str, str, int]]:
    """``count`` preset files in ``folder``; returns (name, image, replicas) for kubectl."""
    apps = []
    for i in range(count):
        name, image, replicas = f"app-{i:03d}", IMAGES[i % len(IMAGES)], 1 + i % 5
        port = 8000 + i % 100
        service = f"service:\n  ports: [{port}]\n" if i % 2 == 0 else ""
        (folder / f"{name}.yaml").write_text(
            f"name: {name}\nreplicas: {replicas}\nlabels: {{team: t{i % 7}}}\ncontainers:\n"
            f"  - name: {name}\n    image: {image}\n    ports: [\"http:{port}\"]\n"
            f"    size: {['tiny', 'small', 'medium'][i % 3]}\n"
            f"    readinessProbe: {{httpGet: {{path: /ready, port: http}}, periodSeconds: 5}}\n"
            f"    livenessProbe: {{httpGet: {{path: /healthz, port: http}}, periodSeconds: 10}}\n"
            f"    env: {{LOG_LEVEL: info, WORKERS: {1 + i % 4}}}\n"
            + service
        )
        apps.append((name, image, replicas))
    return apps


def _run(cmd: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB on Linux) of one process."""
    # Without PYTHONDONTWRITEBYTECODE (set in some sandboxes): the package runs from its .pyc files, as installed.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir(),
                            env={**env, "NO_COLOR": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:6])} ...")
    return elapsed, usage.ru_maxrss


def _scaffold() -> list[str]:
    script = Path(sys.executable).parent / "scaffold"
    return [str(script)] if script.exists() else [sys.executable, "-m", "scaffold"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", type=int, default=200, help="how many presets (and kubectl calls)")
    parser.add_argument("--runs", type=int, default=5, help="rounds of each, interleaved")
    args = parser.parse_args()
    have_kubectl = shutil.which("kubectl") is not None
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as tmp:
        folder = Path(tmp)
        apps = generate(folder, args.presets)
        ours_cmd = [*_scaffold(), "render", str(folder), "-q"]
        _run(ours_cmd)  # warm caches (.pyc, compiled templates)
        ours, ours_rss, theirs, theirs_rss = [], [], [], []
        for _ in range(args.runs):
            wall, rss = _run(ours_cmd)
            ours.append(wall)
            ours_rss.append(rss)
            if have_kubectl:
                total = 0.0
                for name, image, replicas in apps:
                    wall, rss = _run(["kubectl", "create", "deployment", name, f"--image={image}",
                                      f"--replicas={replicas}", "--dry-run=client", "-o", "yaml"])
                    total += wall
                    theirs_rss.append(rss)
                theirs.append(total)
    n = args.presets
    ms = statistics.median(ours) * 1000
    print(f"batch        scaffold render DIR ({n} presets, 1 process)   median {ms:8.1f} ms  "
          f"({ms / n:.2f} ms per preset, {args.runs} runs)")
    print(f"batch        scaffold peak memory (max RSS)               {max(ours_rss) / 1024:8.1f} MiB")
    if not have_kubectl:
        print("batch        kubectl not installed: no ratio")
        return
    k = statistics.median(theirs) * 1000
    print(f"batch        {n} x kubectl create --dry-run                median {k:8.1f} ms  ({k / n:.1f} ms per call)")
    print(f"batch        kubectl peak memory (max RSS of one call)    {max(theirs_rss) / 1024:8.1f} MiB")
    print(f"batch        speed-up scaffold vs kubectl                 {k / ms:8.1f}x   (target >= 20x)")


if __name__ == "__main__":
    main()
