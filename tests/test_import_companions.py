"""``scaffold import`` of the kinds beyond Deployment and Pod, and of the objects that travel
with an app: which preset fields they become, which app they belong to, and the words in the
report for the ones that belong to none."""

from __future__ import annotations

import copy
import json
import textwrap
from collections import Counter

import pytest
import yaml

import scaffold
from scaffold.importer import import_text, render_unchecked
from scaffold.importer.canonical import canonical


def docs(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(textwrap.dedent(text)) if d is not None]


def _frozen(objects) -> Counter:
    return Counter(json.dumps(canonical(o), sort_keys=True) for o in objects)


def imported(text: str):
    """The import of ``text``, checked: its presets and pass-through give back every object."""
    text = textwrap.dedent(text)
    result = import_text(text)
    back = [o for p in result.presets for o in render_unchecked(p.preset)] + [p.obj for p in result.passthrough]
    assert _frozen(back) == _frozen(docs(text))
    return result


def only(result) -> dict:
    (preset,) = result.presets
    return preset.preset


def passthrough_reasons(result) -> dict[str, str]:
    return {p.label: p.reason for p in result.passthrough}


def pod(name: str, extra: str = "") -> str:
    """A pod template of app ``name`` (indented for spec.template), resources equal to size small."""
    return f"""\
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: {name}
          image: nginx:1.27
          ports: [{{name: http, containerPort: 8080}}]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
{extra}"""


def deployment(name: str = "web", extra: str = "", spec: str = "") -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, labels: {{app: {name}}}}}\nspec:\n"
        f"  selector: {{matchLabels: {{app: {name}}}}}\n{spec}  template:\n"
        + textwrap.indent(textwrap.dedent(pod(name, extra)), "    ")
    )


def service(name: str = "web") -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, labels: {{app: {name}}}}}\nspec:\n  selector: {{app: {name}}}\n  ports: [{{name: http, port: 8080}}]\n"


# ------------------------------------------------------------------ workload kinds

STATEFULSET = """\
apiVersion: v1
kind: Service
metadata: {name: db-headless, labels: {app: db}}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432, targetPort: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, labels: {app: db}}
spec:
  serviceName: db-headless
  replicas: 3
  podManagementPolicy: Parallel
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16.4
          ports: [{name: pg, containerPort: 5432}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, labels: {app: db}}
      spec:
        accessModes: [ReadWriteOncePod]
        volumeMode: Filesystem
        storageClassName: fast
        resources: {requests: {storage: 5Gi}}
      status: {phase: Pending}
"""


def test_a_statefulset_with_its_governing_service_becomes_a_statefulset_preset():
    preset = only(imported(STATEFULSET))
    assert preset["kind"] == "StatefulSet" and preset["replicas"] == 3
    assert preset["podManagementPolicy"] == "Parallel"
    assert "updateStrategy" not in preset  # the default strategy
    assert "serviceName" not in preset  # <name>-headless, the default
    assert preset["volumeClaimTemplates"] == [{"name": "data", "size": "5Gi", "accessModes": ["ReadWriteOncePod"], "storageClassName": "fast"}]
    assert "patches" not in preset


def test_a_governing_service_of_another_name_is_kept_as_service_name():
    text = STATEFULSET.replace("db-headless", "db-peers")
    preset = only(imported(text))
    assert preset["serviceName"] == "db-peers" and "patches" not in preset


def test_a_statefulset_without_its_governing_service_is_imported_with_a_warning():
    text = STATEFULSET.split("---\n", 1)[1]
    result = import_text(text)
    preset = only(result)
    rendered = render_unchecked(preset)
    assert [o["kind"] for o in rendered] == ["Service", "StatefulSet"]  # the preset adds the headless Service
    (note,) = [i for i in result.report if i.rule == "import-added"]
    assert note.severity == "warning" and "db-headless" in note.message


def _pod_template(name: str, **spec) -> dict:
    return {"metadata": {"labels": {"app": name}}, "spec": {**yaml.safe_load(textwrap.dedent(pod(name)))["spec"], **spec}}


def test_daemonset_job_and_cronjob_become_presets_of_their_kind():
    def meta(name):
        return {"name": name, "labels": {"app": name}}

    objects = [
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("agent"), "spec": {
            "selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "OnDelete"}, "template": _pod_template("agent")}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta("migrate"), "spec": {
            "backoffLimit": 2, "completions": 3, "template": _pod_template("migrate", restartPolicy="OnFailure")}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("backup"), "spec": {
            "schedule": "0 3 * * *", "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3,
            "jobTemplate": {"metadata": {"labels": {"app": "backup"}}, "spec": {
                "activeDeadlineSeconds": 600, "template": _pod_template("backup", restartPolicy="Never")}}}},
    ]
    result = imported(yaml.safe_dump_all(objects, sort_keys=False))
    by_name = {p.name: p.preset for p in result.presets}
    assert by_name["agent"]["kind"] == "DaemonSet" and by_name["agent"]["updateStrategy"] == "OnDelete"
    job = by_name["migrate"]
    assert (job["kind"], job["backoffLimit"], job["completions"]) == ("Job", 2, 3)
    assert "restartPolicy" not in job  # OnFailure is a Job's default
    cron = by_name["backup"]
    assert (cron["kind"], cron["schedule"], cron["concurrencyPolicy"], cron["activeDeadlineSeconds"], cron["restartPolicy"]) == (
        "CronJob", "0 3 * * *", "Forbid", 600, "Never"
    )
    assert "successfulJobsHistoryLimit" not in cron  # 3 is the API's default
    assert not any("patches" in p.preset for p in result.presets)


def test_a_job_read_from_the_cluster_loses_the_selector_and_labels_the_server_made():
    uid = "0b5e5d0b-1111-2222-3333-444455556666"
    server_labels = f"{{app: migrate, controller-uid: {uid}, batch.kubernetes.io/controller-uid: {uid}, job-name: migrate, batch.kubernetes.io/job-name: migrate}}"
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, labels: {app: migrate}}\nspec:\n"
        f"  selector: {{matchLabels: {{batch.kubernetes.io/controller-uid: {uid}}}}}\n"
        "  parallelism: 1\n  backoffLimit: 6\n  completionMode: NonIndexed\n  suspend: false\n  template:\n"
        + textwrap.indent(textwrap.dedent(pod("migrate", "      restartPolicy: Never\n")).replace("{app: migrate}", server_labels), "    ")
    )
    result = import_text(text)
    preset = only(result)
    assert "patches" not in preset and preset["kind"] == "Job"
    assert "backoffLimit" not in preset
    assert any(i.rule == "import-server-fields" and "Job controller" in i.message for i in result.report)


# ------------------------------------------------------------------ companions


WEB_COMPANIONS = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, labels: {app: web}}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-env, labels: {app: web}}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-files, labels: {app: web}}
data: {a.conf: "x = 1\\n"}
immutable: true
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: uploads, labels: {app: web}}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 5Gi}}
---
"""
WEB_EXTRA = """\
      serviceAccountName: web
      volumes:
        - {name: files, configMap: {name: web-files}}
        - {name: uploads, persistentVolumeClaim: {claimName: uploads}}
"""
AFTER = """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, labels: {app: web}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules:
    - host: web.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, labels: {app: web}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 75}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, labels: {app: web}}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, labels: {app: web}}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {}}]
      ports: [{protocol: TCP, port: 8080}]
"""


def _web(extra: str = WEB_EXTRA, env_from: bool = True) -> str:
    container = "          envFrom: [{configMapRef: {name: web-env}}]\n" if env_from else ""
    return WEB_COMPANIONS + deployment("web", container + extra) + "---\n" + service() + AFTER


def test_every_companion_becomes_a_preset_field_in_its_short_form():
    result = imported(_web())
    preset = only(result)
    assert "patches" not in preset and not result.passthrough
    assert "serviceAccountName" not in preset  # the ServiceAccount's name is the preset's
    assert preset["serviceAccount"] == {"automountToken": False}
    assert preset["configMaps"] == [
        {"name": "web-env", "data": {"LOG_LEVEL": "info"}},
        {"name": "web-files", "data": {"a.conf": "x = 1\n"}, "immutable": True},
    ]
    assert preset["persistentVolumeClaims"] == [{"name": "uploads", "size": "5Gi", "accessModes": ["ReadWriteMany"]}]
    assert preset["ingress"] == {"host": "web.example.com", "className": "nginx", "tls": True}  # path /, Prefix, first port: defaults
    assert preset["autoscale"] == {"min": 2, "max": 6, "cpu": 75}
    assert "replicas" not in preset
    assert preset["disruptionBudget"] is True
    assert preset["networkPolicy"] is True
    assert result.presets[0].sources == [
        "ServiceAccount/web", "ConfigMap/web-env", "ConfigMap/web-files", "PersistentVolumeClaim/uploads",
        "Deployment/web", "Service/web", "Ingress/web", "HorizontalPodAutoscaler/web", "PodDisruptionBudget/web",
        "NetworkPolicy/web",
    ]
    scaffold.validate(preset)


def test_what_differs_from_the_defaults_is_written_out():
    text = (
        _web()
        .replace("path: /, pathType: Prefix", "path: /api, pathType: Exact")
        .replace("secretName: web-tls", "secretName: star-cert")
        .replace("maxUnavailable: 1", "minAvailable: 50%")
        .replace("policyTypes: [Ingress]", "policyTypes: [Ingress, Egress]")
        .replace("from: [{podSelector: {}}]", "from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {role: x}}}]")
    )
    preset = only(imported(text))
    assert preset["ingress"] == {"host": "web.example.com", "path": "/api", "pathType": "Exact", "className": "nginx", "tls": {"secretName": "star-cert"}}
    assert preset["disruptionBudget"] == {"minAvailable": "50%"}
    assert preset["networkPolicy"] == {"egress": "none", "from": [{"namespaceLabels": {"team": "a"}, "podLabels": {"role": "x"}}]}
    assert "patches" not in preset


def test_a_service_account_of_another_name_keeps_service_account_name():
    text = _web().replace("name: web, labels: {app: web}}\nautomount", "name: web-sa, labels: {app: web}}\nautomount").replace(
        "serviceAccountName: web", "serviceAccountName: web-sa"
    )
    preset = only(imported(text))
    assert preset["serviceAccountName"] == "web-sa" and preset["serviceAccount"] == {"automountToken": False}
    assert "patches" not in preset


def test_what_a_companion_field_cannot_say_becomes_a_patch_on_that_object():
    # another name, no labels, a second metric and a behavior: the HPA is still the app's
    hpa = """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 4
  behavior: {scaleDown: {stabilizationWindowSeconds: 60}}
  metrics:
    - {type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}}
    - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 60}}}
"""
    text = deployment() + "---\n" + service() + hpa
    result = imported(text)
    preset = only(result)
    assert preset["autoscale"] == {"max": 4, "memory": 60}
    targets = [p["target"] for p in preset["patches"]]
    assert {"kind": "HorizontalPodAutoscaler", "name": "web"} in targets
    hpa_patches = [p for p in preset["patches"] if p["target"]["kind"] == "HorizontalPodAutoscaler"]
    # the target names the object as rendered, so the patch that renames it comes last
    assert hpa_patches[-1]["merge"]["metadata"]["name"] == "web-hpa"
    assert any(i.rule == "import-patches" and "HorizontalPodAutoscaler" in i.message for i in result.report)


def test_security_restricted_replaces_the_values_of_the_profile():
    contexts = (
        "      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}\n"
        "      automountServiceAccountToken: false\n"
    )
    container = "          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n"
    preset = only(imported(deployment("web", container + contexts)))
    assert preset["security"] == "restricted"
    assert preset["containers"][0]["securityContext"] == {"capabilities": {"add": ["NET_BIND_SERVICE"]}}
    assert "securityContext" not in preset and "automountServiceAccountToken" not in preset
    assert "patches" not in preset


def test_security_restricted_is_not_used_when_a_value_of_the_profile_is_missing():
    contexts = "      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}\n"
    container = "          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n"
    preset = only(imported(deployment("web", container + contexts)))
    assert "security" not in preset and preset["securityContext"]["runAsNonRoot"] is True


# ------------------------------------------------------------------ nothing dropped without a word


def test_a_config_map_no_app_refers_to_is_passed_through():
    text = deployment() + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: stray}\ndata: {a: b}\n"
    result = imported(text)
    assert "configMaps" not in only(result)
    assert "no imported app in this input refers to it" in passthrough_reasons(result)["ConfigMap/stray"]


def test_a_companion_of_several_apps_is_passed_through():
    mount = "      volumes: [{name: shared, configMap: {name: shared}}]\n"
    text = deployment("a", mount) + "---\n" + deployment("b", mount) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: b}\n"
    result = imported(text)
    assert "several apps (a, b)" in passthrough_reasons(result)["ConfigMap/shared"]
    assert all("configMaps" not in p.preset for p in result.presets)


def test_companions_in_another_namespace_do_not_belong_to_the_app():
    pdb = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: other}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n"
    result = imported(deployment() + pdb)
    assert "disruptionBudget" not in only(result)
    assert "selects the pods of no imported app" in passthrough_reasons(result)["PodDisruptionBudget/web"]


def test_a_second_budget_for_the_same_pods_is_passed_through():
    pdb = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: {}, labels: {{app: web}}}}\nspec: {{maxUnavailable: 1, selector: {{matchLabels: {{app: web}}}}}}\n"
    result = imported(deployment() + pdb.format("web") + pdb.format("web-2"))
    assert only(result)["disruptionBudget"] is True
    assert "already (PodDisruptionBudget/web)" in passthrough_reasons(result)["PodDisruptionBudget/web-2"]


@pytest.mark.parametrize(
    ("obj", "why"),
    [
        (
            "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
            "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3, targetCPUUtilizationPercentage: 50}\n",
            "autoscaling/v2",
        ),
        (
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
            "spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}]}}]}\n",
            "no host",
        ),
        (
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: uploads}\nspec: {accessModes: [ReadWriteOnce]}\n",
            "requests no storage",
        ),
    ],
)
def test_a_companion_its_field_cannot_hold_is_passed_through_saying_why(obj, why):
    extra = "      volumes: [{name: uploads, persistentVolumeClaim: {claimName: uploads}}]\n"
    result = imported(deployment("web", extra) + "---\n" + service() + "---\n" + obj)
    (reason,) = passthrough_reasons(result).values()
    assert "belongs to web" in reason and why in reason
    assert len(result.presets) == 1


def test_an_ingress_to_two_apps_belongs_to_neither():
    ingress = """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: both}
spec:
  rules:
    - host: example.com
      http:
        paths:
          - {path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 8080}}}}
          - {path: /b, pathType: Prefix, backend: {service: {name: b, port: {number: 8080}}}}
"""
    text = deployment("a") + "---\n" + service("a") + "---\n" + deployment("b") + "---\n" + service("b") + ingress
    result = imported(text)
    assert "routes to no Service of an imported app" in passthrough_reasons(result)["Ingress/both"]


def test_a_companion_the_preset_cannot_take_leaves_the_app_a_preset(monkeypatch):
    # A safety net: should a companion's field ever be refused by the preset format, the app
    # is imported without that one companion (passed through, saying why), not passed
    # through whole. No valid object triggers it today, so the field is made wrong here.
    from scaffold.importer import manifests

    def wrong_autoscale(obj, preset):
        value = real(obj, preset)
        return {"max": "many"} if obj["kind"] == "HorizontalPodAutoscaler" else value

    real = manifests.field
    monkeypatch.setattr(manifests, "field", wrong_autoscale)
    result = imported(_web())
    preset = only(result)
    assert "autoscale" not in preset and preset["disruptionBudget"] is True and len(preset["configMaps"]) == 2
    reasons = passthrough_reasons(result)
    assert list(reasons) == ["HorizontalPodAutoscaler/web"] and "could not take it" in reasons["HorizontalPodAutoscaler/web"]


MALFORMED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s, labels: {app: s}}
spec:
  serviceName: [1]
  selector: {matchLabels: {app: s}}
  volumeClaimTemplates: [1, "x", {metadata: 3, spec: []}]
  template:
    metadata: {labels: {app: s}}
    spec:
      serviceAccountName: sa
      volumes: [{name: c, configMap: {name: cm}}, 3, {name: p, persistentVolumeClaim: 7}]
      containers: [{name: s, image: "x:1", envFrom: [1, {configMapRef: 3}]}]
---
{apiVersion: v1, kind: ServiceAccount, metadata: {name: sa}, automountServiceAccountToken: "yes"}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: [1, 2], binaryData: 3}
---
{apiVersion: v1, kind: Service, metadata: {name: svc}, spec: {selector: {app: s}, ports: "x"}}
---
{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i}, spec: {rules: [{host: 3, http: {paths: "x"}}], tls: "z", defaultBackend: {service: {name: svc}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec: {scaleTargetRef: {kind: StatefulSet, name: s}, maxReplicas: 3, minReplicas: "2", metrics: [1, {type: Resource, resource: 3}]}
---
{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: p}, spec: {selector: {matchLabels: {app: s}, matchExpressions: [3]}}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: n}, spec: {podSelector: {matchLabels: {app: s}}, policyTypes: "x", ingress: [3, {from: 5}], egress: 4}}
---
{apiVersion: batch/v1, kind: CronJob, metadata: {name: cj}, spec: {schedule: 5, jobTemplate: 3}}
"""


def test_malformed_companions_never_stop_the_import_and_every_object_is_accounted_for():
    result = import_text(MALFORMED)
    (preset,) = result.presets
    assert preset.name == "s"
    accounted = preset.sources + [p.label for p in result.passthrough]
    assert sorted(accounted) == sorted(f"{d['kind']}/{d['metadata']['name']}" for d in docs(MALFORMED))
    # the Service's ports are no Service ports: the app is a preset without it, and the report says why
    assert "could not take it" in passthrough_reasons(result)["Service/svc"]
    back = [o for o in render_unchecked(preset.preset) if get_name(o) != "s-headless"] + [p.obj for p in result.passthrough]
    assert _frozen(back) == _frozen(docs(MALFORMED))


def get_name(obj: dict) -> str:
    return obj["metadata"]["name"]
