"""Speed and memory of ``scaffold lint`` on large inputs (issue 12 tests, issue 15 item 5).

    python benchmarks/bench_lint.py [--files 1000] [--sizes 1000,2000,4000]

1. Corpus: a generated directory of ``--files`` manifest files (Deployments with Services,
   StatefulSets with headless Services, CronJobs, HPAs, PDBs, ConfigMaps, a few Services that
   match nothing, in several namespaces), linted in one call of ``scaffold lint DIR``; files/s
   (target: at least 1,000 files/s), peak RSS and output size, with and without the schema
   check (unknown fields).
2. Growth: N objects in one file, half Services that match no workload and half workloads
   (the shape that was quadratic: 2,800 + 2,800 objects took 16 s, 625 MB and 195 MB of
   output), for each size in ``--sizes``; time, memory and output should grow linearly
   (the ratio column: time per object relative to the smallest size, about 1.0).

Each measurement runs in a fresh process (``--one``) so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: ns-{ns}, labels: {{app: app-{i}}}}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}, tier: web}}}}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/app-{i}:1.{i}.0
          ports: [{{name: http, containerPort: 8080}}]
          envFrom: [{{configMapRef: {{name: app-{i}}}}}]
          resources: {{requests: {{cpu: 100m, memory: 128Mi}}, limits: {{memory: 128Mi}}}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          livenessProbe: {{httpGet: {{path: /healthz, port: http}}, periodSeconds: 10}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: app-{i}, namespace: ns-{ns}}}
data: {{MODE: production}}
"""

_STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db-{i}, namespace: ns-{ns}}}
spec:
  serviceName: db-{i}
  replicas: 3
  selector: {{matchLabels: {{app: db-{i}}}}}
  template:
    metadata: {{labels: {{app: db-{i}}}}}
    spec:
      containers:
        - name: db
          image: postgres:16.{n}
          ports: [{{name: pg, containerPort: 5432}}]
          resources: {{requests: {{cpu: 500m, memory: 1Gi}}, limits: {{memory: 1Gi}}}}
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 10Gi}}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: db-{i}, namespace: ns-{ns}}}
spec:
  clusterIP: None
  selector: {{app: db-{i}}}
  ports: [{{name: pg, port: 5432, targetPort: pg}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: db-{i}, namespace: ns-{ns}}}
spec:
  minAvailable: 2
  selector: {{matchLabels: {{app: db-{i}}}}}
"""

_CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {{name: job-{i}, namespace: ns-{ns}}}
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: ghcr.io/example/job:2.{n}.1
              resources: {{requests: {{cpu: 50m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{i}}}
  minReplicas: 2
  maxReplicas: 8
---
apiVersion: v1
kind: Service
metadata: {{name: orphan-{i}, namespace: ns-{ns}}}
spec:
  selector: {{app: gone-{i}}}
  ports: [{{port: 80}}]
"""


#: Runs per measurement (``--repeat``).
REPEAT = 3


def make_corpus(root: Path, files: int) -> None:
    """``files`` manifest files under ``root`` in subdirectories, three shapes in turn."""
    shapes = (_DEPLOYMENT, _STATEFULSET, _CRONJOB)
    for i in range(files):
        folder = root / f"team-{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        text = shapes[i % 3].format(i=i, ns=i % 10, n=i % 9)
        (folder / f"m{i:05d}.yaml").write_text(text, encoding="utf-8")


def make_growth(root: Path, objects: int) -> None:
    """``objects`` objects in files of 100 (the loader caps the values of one call): half
    Services matching nothing, half Deployments, all in one namespace, linted together."""
    root.mkdir(parents=True, exist_ok=True)
    parts = []
    for i in range(objects // 2):
        parts.append(_DEPLOYMENT.split("---\n")[0].format(i=i, ns=0, n=0))
        parts.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: s-{i}, namespace: ns-0}}\nspec:\n  selector: {{app: nothing-{i}}}\n  ports: [{{port: 80}}]\n")
    for start in range(0, len(parts), 100):
        (root / f"g{start:06d}.yaml").write_text("---\n".join(parts[start : start + 100]), encoding="utf-8")


def one(target: str, schema: bool) -> None:
    """Lint ``target`` in this process and print a JSON record of what it cost."""
    from scaffold.lint import LintOptions, lint_report, to_text

    start, cpu = time.perf_counter(), time.process_time()
    report = lint_report([target], options=LintOptions(schema=schema))
    text = to_text(report)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss_kb / 1024, "output_bytes": len(text.encode()),
                      "files": len(report.files), "objects": report.checked + report.skipped, "findings": len(report.issues)}))


def measure(target: Path, schema: bool) -> dict[str, float]:
    """The cost of one lint call (see :func:`measure_each`)."""
    return measure_each([(target, schema)])[0]


def measure_each(cases: list[tuple[Path, bool]]) -> list[dict[str, float]]:
    """The cost of one lint call of each case, each in a fresh process, as an installed
    scaffold runs: with its bytecode cached (pip compiles it at install;
    ``PYTHONDONTWRITEBYTECODE``, set in some sandboxes, would make every run compile the package
    again), so a first run is discarded. The cases take turns, ``REPEAT`` rounds, so that a
    slow spell of the machine falls on all of them; each reports its fastest run (what the
    code costs when nothing else competes for the core, as timeit does)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = [[sys.executable, __file__, "--one", str(target), *(["--schema"] if schema else [])] for target, schema in cases]
    subprocess.run(commands[0], capture_output=True, text=True, check=True, env=env)
    runs: list[list[dict[str, float]]] = [[] for _ in cases]
    for _ in range(REPEAT):
        for i, command in enumerate(commands):
            proc = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            runs[i].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return [min(r, key=lambda one: one["seconds"]) for r in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is reported")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--schema", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    if args.one:
        one(args.one, args.schema)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(corpus, args.files)
        for schema, r in zip((False, True), measure_each([(corpus, False), (corpus, True)])):
            rate = r["files"] / r["seconds"]
            print(f"corpus  {int(r['files'])} files, {int(r['objects'])} objects, schema={'on ' if schema else 'off'}: "
                  f"{r['seconds']:.2f} s wall = {rate:,.0f} files/s (target >= 1,000), {r['cpu']:.2f} s CPU = "
                  f"{r['files'] / r['cpu']:,.0f} files/CPU-s, peak RSS {r['rss_mb']:.0f} MB, "
                  f"output {r['output_bytes'] / 1024:.0f} KB, {int(r['findings'])} findings")
        base = None
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"growth-{size}"
            make_growth(path, size)
            r = measure(path, False)
            per = r["cpu"] / size
            base = base or per
            print(f"growth  {size:>6} objects ({size // 2} unmatched Services): {r['seconds']:.2f} s wall, {r['cpu']:.2f} s CPU "
                  f"({per * 1e6:.0f} us/object, ratio {per / base:.2f}), peak RSS {r['rss_mb']:.0f} MB, "
                  f"output {r['output_bytes'] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
