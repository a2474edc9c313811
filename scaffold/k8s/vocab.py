"""Kubernetes' fixed vocabularies: enum values and field names, defined once.

The preset schema (its docs and ``allowed`` lists), the rules (enum checks, did-you-mean) and
the wizard (choices) all read these tuples, so a value added here is accepted, suggested and
documented everywhere. Order matters: the first value is the Kubernetes default where there is
one, and messages and docs list the values in this order.
"""

from __future__ import annotations

# ---------------------------------------------------------------- pods and containers

RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
PROTOCOLS = ("TCP", "UDP", "SCTP")
MOUNT_PROPAGATIONS = ("None", "HostToContainer", "Bidirectional")
#: ``""`` is the node's default medium (disk).
EMPTY_DIR_MEDIA = ("", "Memory", "HugePages")
HOST_PATH_TYPES = ("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice")
PROC_MOUNT_TYPES = ("Default", "Unmasked")
SECCOMP_TYPES = ("RuntimeDefault", "Localhost", "Unconfined")
#: The container groups of a pod spec, in the order the kubelet starts them.
CONTAINER_GROUPS = ("initContainers", "containers", "ephemeralContainers")
#: Resource names every cluster knows (others are extended resources: domain/name).
RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage", "hugepages-2Mi", "hugepages-1Gi")
#: Kubernetes' default terminationGracePeriodSeconds.
DEFAULT_GRACE_SECONDS = 30

# ---------------------------------------------------------------- probes and hooks

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
HOOKS = ("postStart", "preStop")
#: tcpSocket is still in the API for hooks but deprecated and failing at run time: not listed.
HOOK_HANDLERS = ("exec", "httpGet", "sleep")
#: Handlers whose target is a port (a number or a containerPort name).
PORT_HANDLERS = ("httpGet", "tcpSocket", "grpc")
HTTP_SCHEMES = ("HTTP", "HTTPS")

# ---------------------------------------------------------------- Services

SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
#: The types of a Service in front of pods (ExternalName is a DNS alias and selects nothing).
POD_SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
SESSION_AFFINITIES = ("None", "ClientIP")
TRAFFIC_POLICIES = ("Cluster", "Local")
NODE_PORT_RANGE = (30000, 32767)

# ---------------------------------------------------------------- volumes

VOLUME_SOURCES = (
    "hostPath", "emptyDir", "secret", "configMap", "persistentVolumeClaim", "projected", "downwardAPI",
    "csi", "ephemeral", "image", "nfs", "iscsi", "fc", "rbd", "cephfs", "cinder", "flexVolume", "flocker",
    "glusterfs", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "azureFile", "azureDisk",
    "vsphereVolume", "quobyte", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
)


# ---------------------------------------------------------------- workload kinds and pod fields (issue 10)

DEPLOYMENT_STRATEGIES = ("RollingUpdate", "Recreate")
UPDATE_STRATEGIES = ("RollingUpdate", "OnDelete")
POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")
COMPLETION_MODES = ("NonIndexed", "Indexed")
CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")
CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
TOLERATION_OPERATORS = ("Equal", "Exists")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
UNSATISFIABLE_ACTIONS = ("DoNotSchedule", "ScheduleAnyway")
NODE_INCLUSION_POLICIES = ("Honor", "Ignore")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
FS_GROUP_CHANGE_POLICIES = ("OnRootMismatch", "Always")
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")
SELINUX_CHANGE_POLICIES = ("MountOption", "Recursive")
NODE_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
LABEL_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")

def choices(values: tuple[str, ...], default: str | None = None, sep: str = " | ") -> str:
    """``Always (default) | OnFailure | Never``: a vocabulary as the docs write it."""
    shown = ['""' if v == "" else f"{v} (default)" if v == default else v for v in values]
    return sep.join(shown)


# ---------------------------------------------------------------- field names
# The fields of the Kubernetes objects a preset stands for, so that an unknown preset field
# that Kubernetes has (``tolerations``) is told apart from a typo (``replica``): the first is
# a field the preset format does not model (set it with ``patches:``), and must never get a
# did-you-mean for a field whose name merely looks alike. Checked against the
# official schemas by tests/test_trust.py.

#: PodSpec.
POD_SPEC_FIELDS = (
    "activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy",
    "enableServiceLinks", "ephemeralContainers", "evictionResponders", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
    "hostname", "hostnameOverride", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os", "overhead",
    "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources",
    "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "schedulingGroup", "securityContext",
    "serviceAccount", "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain",
    "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes",
)
#: Container (and init container).
CONTAINER_FIELDS = (
    "args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name",
    "ports", "readinessProbe", "resizePolicy", "resources", "restartPolicy", "restartPolicyRules", "securityContext", "startupProbe",
    "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices",
    "volumeMounts", "workingDir",
)
#: The specs of the workload kinds (Deployment, StatefulSet, DaemonSet, Job, CronJob) and the
#: object fields around them.
WORKLOAD_SPEC_FIELDS = (
    "metadata", "spec", "template", "selector", "replicas", "strategy", "minReadySeconds",
    "revisionHistoryLimit", "progressDeadlineSeconds", "paused", "serviceName", "podManagementPolicy",
    "updateStrategy", "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy", "ordinals",
    "completions", "parallelism", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
    "ttlSecondsAfterFinished", "completionMode", "podFailurePolicy", "podReplacementPolicy", "successPolicy",
    "suspend", "manualSelector", "managedBy", "activeDeadlineSeconds", "scheduling", "schedule", "timeZone", "concurrencyPolicy", "startingDeadlineSeconds",
    "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "jobTemplate",
)
#: ServiceSpec.
SERVICE_SPEC_FIELDS = (
    "allocateLoadBalancerNodePorts", "clusterIP", "clusterIPs", "externalIPs", "externalName",
    "externalTrafficPolicy", "healthCheckNodePort", "internalTrafficPolicy", "ipFamilies", "ipFamilyPolicy",
    "loadBalancerClass", "loadBalancerIP", "loadBalancerSourceRanges", "ports", "publishNotReadyAddresses",
    "selector", "sessionAffinity", "sessionAffinityConfig", "trafficDistribution", "type",
)
