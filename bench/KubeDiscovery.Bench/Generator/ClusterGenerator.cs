using System.Buffers;
using System.Globalization;
using System.Text.Json;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Discovery;

namespace KubeDiscovery.Bench.Generator;

/// <summary>
/// Generates a cluster of about N objects in the proportions of a busy real one, as LIST pages:
/// per application a Deployment (ReplicaSets, with two old revisions for half of them, and 2 or 10
/// Pods), a Service with its EndpointSlice, a ConfigMap and a Secret the Pods mount, a ServiceAccount;
/// every 4th a Postgres custom resource owning a StatefulSet (3 Pods, a ControllerRevision, 3 PVCs bound
/// to 3 PersistentVolumes of the one StorageClass),
/// a Service and a Secret; every 10th a CronJob with 3 Jobs of 1 Pod; per 300 objects a Node with a
/// Pod from each of two DaemonSets. Every Pod runs on a Node that exists, so the cluster's references
/// all resolve (the dangling report finds nothing). Objects carry what real ones do — labels, annotations (last-applied
/// configuration), managedFields, full spec and status — so a Pod is about 4 KB on the wire.
/// Deterministic: the same N gives the same cluster.
/// </summary>
internal sealed class ClusterGenerator
{
    public const int PageSize = 500;

    /// <summary>A Deployment with one ReplicaSet and 10 Pods: the tree the query benchmarks ask for.</summary>
    public const string QueryNamespace = "team-000";
    public const string QueryDeployment = "app-0000000";

    private static readonly Dictionary<string, ResourceType> Types = BuiltinDiscovery.Types
        .GroupBy(t => (t.Group, t.Kind)).ToDictionary(g => $"{g.Key.Group}/{g.Key.Kind}", g => g.First());

    public static readonly ResourceType Postgres = new()
    {
        Group = "db.example.com",
        Version = "v1",
        Kind = "Postgres",
        Plural = "postgreses",
        Singular = "postgres",
        ShortNames = ["pg"],
        Namespaced = true,
        Verbs = ["get", "list", "watch"],
    };

    private readonly int _target;
    private readonly int _namespaces;
    private readonly Dictionary<ResourceType, PageWriter> _pages = [];
    private readonly Queue<GeneratedPage> _ready = new();
    private int _count;
    private int _nodes; // Pods are scheduled to Nodes that exist: one made so far

    public ClusterGenerator(int objects)
    {
        _target = objects;
        _namespaces = Math.Max(10, objects / 2000);
    }

    public static ResourceType Type(string group, string kind) => group == Postgres.Group ? Postgres : Types[$"{group}/{kind}"];

    /// <summary>Every page of the cluster, generated lazily so a million objects never sit in memory as JSON.</summary>
    public IEnumerable<GeneratedPage> Pages()
    {
        Write("storage.k8s.io", "StorageClass", w => Metadata(w, "standard", null, Uid('c', 0), "standard", null, lastApplied: false));
        for (var d = 0; d < 2; d++)
        {
            var ds = d == 0 ? "kube-proxy" : "node-exporter";
            Write("apps", "DaemonSet", w => Metadata(w, ds, "kube-system", Uid('w', d), ds, null, lastApplied: false));
        }
        for (var unit = 0; _count < _target; unit++)
        {
            if (_count >= (_nodes + 1) * 300 || _nodes < 3)
            {
                Node(_nodes++);
            }
            Application(unit);
            while (_ready.Count > 0) yield return _ready.Dequeue();
        }
        foreach (var writer in _pages.Values)
        {
            if (writer.Count > 0) yield return writer.Finish();
        }
    }

    private void Application(int u)
    {
        var ns = $"team-{u % _namespaces:D3}";
        var app = $"app-{u:D7}";
        var replicas = u % 5 == 0 ? 10 : 2;
        var deploymentUid = Uid('d', u);
        Write("apps", "Deployment", w =>
        {
            Metadata(w, app, ns, deploymentUid, app, owner: null, lastApplied: true);
            w.WriteStartObject("spec");
            w.WriteNumber("replicas", replicas);
            w.WriteNumber("revisionHistoryLimit", 10);
            Selector(w, app);
            w.WriteStartObject("template");
            w.WriteStartObject("metadata");
            Labels(w, app, ns);
            w.WriteEndObject();
            PodSpec(w, app);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("status");
            w.WriteNumber("observedGeneration", 3);
            w.WriteNumber("replicas", replicas);
            w.WriteNumber("readyReplicas", replicas);
            w.WriteNumber("availableReplicas", replicas);
            Conditions(w, ("Available", "True", "MinimumReplicasAvailable"), ("Progressing", "True", "NewReplicaSetAvailable"));
            w.WriteEndObject();
        });

        var revisions = u % 2 == 1 ? 3 : 1;
        for (var r = 0; r < revisions; r++)
        {
            var rsReplicas = r == 0 ? replicas : 0;
            var rsName = $"{app}-{Hash(u, r)}";
            var rsUid = Uid('r', (u * 3) + r);
            Write("apps", "ReplicaSet", w =>
            {
                Metadata(w, rsName, ns, rsUid, app, (Kind: "Deployment", ApiVersion: "apps/v1", Name: app, Uid: deploymentUid), lastApplied: false);
                w.WriteStartObject("spec");
                w.WriteNumber("replicas", rsReplicas);
                Selector(w, app);
                w.WriteStartObject("template");
                w.WriteStartObject("metadata");
                Labels(w, app, ns);
                w.WriteEndObject();
                PodSpec(w, app);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("status");
                w.WriteNumber("replicas", rsReplicas);
                w.WriteNumber("readyReplicas", rsReplicas);
                w.WriteNumber("availableReplicas", rsReplicas);
                w.WriteNumber("observedGeneration", 1);
                w.WriteEndObject();
            });
            if (r == 0)
            {
                for (var p = 0; p < rsReplicas; p++) Pod(ns, app, $"{rsName}-{Suffix(p)}", Uid('p', (u * 10) + p), ("ReplicaSet", "apps/v1", rsName, rsUid), ready: true);
            }
        }

        var serviceUid = Uid('s', u);
        Service(ns, app, serviceUid);
        ConfigMap(ns, app, $"{app}-config", Uid('c', u), owner: null);
        Secret(ns, app, $"{app}-tls", Uid('x', u), owner: null);
        Write("", "ServiceAccount", w => Metadata(w, app, ns, Uid('a', u), app, null, lastApplied: false));

        if (u % 4 == 0) Database(ns, u);
        if (u % 10 == 5) CronJob(ns, u);
    }

    private void Database(string ns, int u)
    {
        var name = $"db-{u:D7}";
        var pgUid = Uid('g', u);
        Write(Postgres.Group, Postgres.Kind, w =>
        {
            Metadata(w, name, ns, pgUid, name, null, lastApplied: true);
            w.WriteStartObject("spec");
            w.WriteString("version", "16.4");
            w.WriteNumber("instances", 3);
            w.WriteString("storage", "20Gi");
            w.WriteEndObject();
            w.WriteStartObject("status");
            Conditions(w, ("Ready", "True", "ClusterHealthy"));
            w.WriteEndObject();
        });
        var owner = (Kind: "Postgres", ApiVersion: "db.example.com/v1", Name: name, Uid: pgUid);
        var stsUid = Uid('t', u);
        Write("apps", "StatefulSet", w =>
        {
            Metadata(w, name, ns, stsUid, name, owner, lastApplied: false);
            w.WriteStartObject("spec");
            w.WriteNumber("replicas", 3);
            w.WriteString("serviceName", name);
            Selector(w, name);
            w.WriteStartObject("template");
            w.WriteStartObject("metadata");
            Labels(w, name, ns);
            w.WriteEndObject();
            PodSpec(w, name, references: false);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("status");
            w.WriteNumber("replicas", 3);
            w.WriteNumber("readyReplicas", 3);
            w.WriteNumber("currentReplicas", 3);
            w.WriteEndObject();
        });
        var stsOwner = ("StatefulSet", "apps/v1", name, stsUid);
        Write("apps", "ControllerRevision", w =>
        {
            Metadata(w, $"{name}-{Hash(u, 7)}", ns, Uid('v', u), name, stsOwner, lastApplied: false);
            w.WriteNumber("revision", 1);
        });
        for (var p = 0; p < 3; p++)
        {
            Pod(ns, name, $"{name}-{p}", Uid('q', (u * 3) + p), stsOwner, ready: true, references: false);
            Write("", "PersistentVolumeClaim", w =>
            {
                Metadata(w, $"data-{name}-{p}", ns, Uid('l', (u * 3) + p), name, null, lastApplied: false);
                w.WriteStartObject("spec");
                w.WriteStartArray("accessModes");
                w.WriteStringValue("ReadWriteOnce");
                w.WriteEndArray();
                w.WriteString("storageClassName", "standard");
                w.WriteString("volumeName", $"pvc-{Uid('l', (u * 3) + p)}");
                w.WriteEndObject();
                w.WriteStartObject("status");
                w.WriteString("phase", "Bound");
                w.WriteEndObject();
            });
            // The volume the claim is bound to, as a provisioner makes it.
            var claim = $"data-{name}-{p}";
            var claimUid = Uid('l', (u * 3) + p);
            Write("", "PersistentVolume", w =>
            {
                Metadata(w, $"pvc-{claimUid}", null, Uid('m', (u * 3) + p), name, null, lastApplied: false);
                w.WriteStartObject("spec");
                w.WriteString("storageClassName", "standard");
                w.WriteStartObject("claimRef");
                w.WriteString("kind", "PersistentVolumeClaim");
                w.WriteString("namespace", ns);
                w.WriteString("name", claim);
                w.WriteString("uid", claimUid);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("status");
                w.WriteString("phase", "Bound");
                w.WriteEndObject();
            });
        }
        Service(ns, name, Uid('o', u), owner);
        Secret(ns, name, $"{name}-creds", Uid('y', u), owner);
    }

    private void CronJob(string ns, int u)
    {
        var name = $"job-{u:D7}";
        var cronUid = Uid('j', u);
        Write("batch", "CronJob", w =>
        {
            Metadata(w, name, ns, cronUid, name, null, lastApplied: true);
            w.WriteStartObject("spec");
            w.WriteString("schedule", "*/15 * * * *");
            w.WriteEndObject();
        });
        for (var j = 0; j < 3; j++)
        {
            var jobName = $"{name}-2911{j:D2}";
            var jobUid = Uid('b', (u * 3) + j);
            Write("batch", "Job", w =>
            {
                Metadata(w, jobName, ns, jobUid, name, ("CronJob", "batch/v1", name, cronUid), lastApplied: false);
                w.WriteStartObject("status");
                w.WriteNumber("succeeded", 1);
                Conditions(w, ("Complete", "True", "CompletionsReached"));
                w.WriteEndObject();
            });
            Pod(ns, name, $"{jobName}-{Suffix(j)}", Uid('k', (u * 3) + j), ("Job", "batch/v1", jobName, jobUid), ready: false, phase: "Succeeded", references: false);
        }
    }

    private void Node(int n)
    {
        var name = $"node-{n:D5}";
        Write("", "Node", w =>
        {
            Metadata(w, name, null, Uid('n', n), name, null, lastApplied: false);
            w.WriteStartObject("status");
            Conditions(w, ("Ready", "True", "KubeletReady"), ("MemoryPressure", "False", "KubeletHasSufficientMemory"));
            w.WriteEndObject();
        });
        for (var d = 0; d < 2; d++)
        {
            var ds = d == 0 ? "kube-proxy" : "node-exporter";
            Pod("kube-system", ds, $"{ds}-{Suffix(n)}", Uid('z', (n * 2) + d), ("DaemonSet", "apps/v1", ds, Uid('w', d)), ready: true, references: false);
        }
    }

    private void Service(string ns, string app, string uid, (string Kind, string ApiVersion, string Name, string Uid)? owner = null)
    {
        Write("", "Service", w =>
        {
            Metadata(w, app, ns, uid, app, owner, lastApplied: owner is null);
            w.WriteStartObject("spec");
            w.WriteStartObject("selector");
            w.WriteString("app", app);
            w.WriteEndObject();
            w.WriteString("clusterIP", $"10.96.{uid[^4..^2]}.{uid[^2..]}");
            w.WriteStartArray("ports");
            w.WriteStartObject();
            w.WriteString("name", "http");
            w.WriteNumber("port", 80);
            w.WriteNumber("targetPort", 8080);
            w.WriteString("protocol", "TCP");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("type", "ClusterIP");
            w.WriteEndObject();
        });
        Write("discovery.k8s.io", "EndpointSlice", w =>
        {
            Metadata(w, $"{app}-{Hash(app.Length, uid[^1])}", ns, "e" + uid[1..], app, ("Service", "v1", app, uid), lastApplied: false);
            w.WriteString("addressType", "IPv4");
            w.WriteStartArray("endpoints");
            for (var i = 0; i < 3; i++)
            {
                w.WriteStartObject();
                w.WriteStartArray("addresses");
                w.WriteStringValue($"10.244.{i}.{uid[^2..]}");
                w.WriteEndArray();
                w.WriteStartObject("conditions");
                w.WriteBoolean("ready", true);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private void ConfigMap(string ns, string app, string name, string uid, (string, string, string, string)? owner) =>
        Write("", "ConfigMap", w =>
        {
            Metadata(w, name, ns, uid, app, owner, lastApplied: true);
            w.WriteStartObject("data");
            w.WriteString("app.yaml", $"server:\n  port: 8080\n  upstream: http://{app}-backend:9090\nlogging:\n  level: info\n  format: json\nfeatures:\n  cache: true\n  tracing: true\n");
            w.WriteString("LOG_LEVEL", "info");
            w.WriteEndObject();
        });

    private void Secret(string ns, string app, string name, string uid, (string, string, string, string)? owner) =>
        Write("", "Secret", w =>
        {
            Metadata(w, name, ns, uid, app, owner, lastApplied: false);
            w.WriteString("type", "Opaque");
            w.WriteStartObject("data");
            w.WriteString("tls.crt", Convert.ToBase64String(new byte[900]));
            w.WriteString("tls.key", Convert.ToBase64String(new byte[240]));
            w.WriteEndObject();
        });

    // references: false for Pods whose app has no ConfigMap, Secret and ServiceAccount of its name (database,
    // job and DaemonSet Pods), so that every reference the cluster makes resolves.
    private void Pod(string ns, string app, string name, string uid, (string Kind, string ApiVersion, string Name, string Uid) owner, bool ready, string phase = "Running", bool references = true) =>
        Write("", "Pod", w =>
        {
            Metadata(w, name, ns, uid, app, owner, lastApplied: false);
            PodSpec(w, app, nodeName: $"node-{int.Parse(uid[^6..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % _nodes:D5}", references: references);
            w.WriteStartObject("status");
            w.WriteString("phase", phase);
            Conditions(w, ("Initialized", "True", null), ("Ready", ready ? "True" : "False", ready ? null : "PodCompleted"),
                ("ContainersReady", ready ? "True" : "False", null), ("PodScheduled", "True", null));
            w.WriteString("hostIP", "192.168.10.17");
            w.WriteString("podIP", $"10.244.3.{uid[^2..]}");
            w.WriteString("startTime", "2026-11-20T08:00:00Z");
            w.WriteString("qosClass", "Burstable");
            w.WriteStartArray("containerStatuses");
            foreach (var container in PodContainers)
            {
                w.WriteStartObject();
                w.WriteString("name", container);
                w.WriteBoolean("ready", ready);
                w.WriteNumber("restartCount", 0);
                w.WriteString("image", $"registry.example.com/{app}:1.4.2");
                w.WriteString("imageID", "registry.example.com/app@sha256:8f2c9d1e0b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c");
                w.WriteString("containerID", $"containerd://{uid.Replace("-", "", StringComparison.Ordinal)}{uid.Replace("-", "", StringComparison.Ordinal)}");
                w.WriteStartObject("state");
                w.WriteStartObject("running");
                w.WriteString("startedAt", "2026-11-20T08:00:05Z");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void PodSpec(Utf8JsonWriter w, string app, string? nodeName = null, bool references = true)
    {
        w.WriteStartObject("spec");
        if (nodeName is not null) w.WriteString("nodeName", nodeName);
        if (references) w.WriteString("serviceAccountName", app);
        w.WriteString("restartPolicy", "Always");
        w.WriteNumber("terminationGracePeriodSeconds", 30);
        w.WriteStartArray("containers");
        foreach (var container in new[] { "main", "sidecar" })
        {
            w.WriteStartObject();
            w.WriteString("name", container);
            w.WriteString("image", $"registry.example.com/{app}:1.4.2");
            w.WriteStartArray("ports");
            w.WriteStartObject();
            w.WriteNumber("containerPort", container == "main" ? 8080 : 9090);
            w.WriteString("protocol", "TCP");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("env");
            foreach (var (key, value) in new[] { ("LOG_LEVEL", "info"), ("REGION", "eu-west-1"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring:4317") })
            {
                w.WriteStartObject();
                w.WriteString("name", key);
                w.WriteString("value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("resources");
            w.WriteStartObject("requests");
            w.WriteString("cpu", "100m");
            w.WriteString("memory", "128Mi");
            w.WriteEndObject();
            w.WriteStartObject("limits");
            w.WriteString("memory", "256Mi");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("volumeMounts");
            foreach (var (volume, path) in new[] { ("config", "/etc/app"), ("tls", "/etc/tls"), ("kube-api-access", "/var/run/secrets/kubernetes.io/serviceaccount") })
            {
                w.WriteStartObject();
                w.WriteString("name", volume);
                w.WriteString("mountPath", path);
                w.WriteBoolean("readOnly", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("readinessProbe");
            w.WriteStartObject("httpGet");
            w.WriteString("path", "/healthz");
            w.WriteNumber("port", 8080);
            w.WriteEndObject();
            w.WriteNumber("periodSeconds", 10);
            w.WriteEndObject();
            w.WriteString("imagePullPolicy", "IfNotPresent");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (references)
        {
            w.WriteStartArray("volumes");
            w.WriteStartObject();
            w.WriteString("name", "config");
            w.WriteStartObject("configMap");
            w.WriteString("name", $"{app}-config");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("name", "tls");
            w.WriteStartObject("secret");
            w.WriteString("secretName", $"{app}-tls");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private void Metadata(Utf8JsonWriter w, string name, string? ns, string uid, string app,
        (string Kind, string ApiVersion, string Name, string Uid)? owner, bool lastApplied)
    {
        w.WriteStartObject("metadata");
        w.WriteString("name", name);
        if (ns is not null) w.WriteString("namespace", ns);
        w.WriteString("uid", uid);
        w.WriteString("resourceVersion", "1");
        w.WriteNumber("generation", 1);
        w.WriteString("creationTimestamp", "2026-11-20T08:00:00Z");
        Labels(w, app, ns);
        w.WriteStartObject("annotations");
        w.WriteString("example.com/owner-team", ns ?? "platform");
        if (ReleaseOf(app, ns) is { } release)
        {
            w.WriteString("meta.helm.sh/release-name", release);
            w.WriteString("meta.helm.sh/release-namespace", ns);
        }
        if (lastApplied)
        {
            w.WriteString("kubectl.kubernetes.io/last-applied-configuration",
                LastApplied.Replace("@app@", app, StringComparison.Ordinal).Replace("@name@", name, StringComparison.Ordinal).Replace("@ns@", ns, StringComparison.Ordinal) + "\n");
        }
        w.WriteEndObject();
        if (owner is { } o)
        {
            w.WriteStartArray("ownerReferences");
            w.WriteStartObject();
            w.WriteString("apiVersion", o.ApiVersion);
            w.WriteString("kind", o.Kind);
            w.WriteString("name", o.Name);
            w.WriteString("uid", o.Uid);
            w.WriteBoolean("controller", true);
            w.WriteBoolean("blockOwnerDeletion", true);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        // Every real object carries managedFields; they are a good share of its bytes.
        w.WriteStartArray("managedFields");
        foreach (var manager in new[] { "kube-controller-manager", "kubelet" })
        {
            w.WriteStartObject();
            w.WriteString("manager", manager);
            w.WriteString("operation", "Update");
            w.WriteString("apiVersion", "v1");
            w.WriteString("time", "2026-11-20T08:00:05Z");
            w.WriteString("fieldsType", "FieldsV1");
            w.WriteStartObject("fieldsV1");
            w.WriteStartObject("f:metadata");
            w.WriteStartObject("f:labels");
            w.WriteStartObject(".");
            w.WriteEndObject();
            w.WriteStartObject("f:app");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("f:status");
            foreach (var field in new[] { "f:conditions", "f:observedGeneration", "f:replicas", "f:readyReplicas", "f:phase", "f:podIP" })
            {
                w.WriteStartObject(field);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private const string LastApplied =
        """{"apiVersion":"v1","kind":"Object","metadata":{"labels":{"app":"@app@"},"name":"@name@","namespace":"@ns@"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"@app@"}},"template":{"metadata":{"labels":{"app":"@app@"}},"spec":{"containers":[{"image":"registry.example.com/@app@:1.4.2","name":"main","ports":[{"containerPort":8080}]}]}}}}""";

    /// <summary>The application each object belongs to. Every namespaced object is a Helm chart's, three units to a
    /// release (about 50 objects; 2,000-odd releases at 100k), except the first 50 units of the query namespace,
    /// one release of about a thousand objects: what the applications benchmark asks for.</summary>
    public const string BigRelease = "big";

    private string? ReleaseOf(string app, string? ns)
    {
        if (ns is null) return null;
        var digits = app.AsSpan(app.LastIndexOf('-') + 1);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) return $"rel-{app}";
        return ns == QueryNamespace && u < 50 * _namespaces ? BigRelease : $"rel-{u / (3 * _namespaces):D5}";
    }

    private void Labels(Utf8JsonWriter w, string app, string? ns)
    {
        w.WriteStartObject("labels");
        w.WriteString("app", app);
        if (ReleaseOf(app, ns) is { } instance) w.WriteString("app.kubernetes.io/instance", instance);
        w.WriteString("app.kubernetes.io/part-of", ns ?? "platform");
        w.WriteString("app.kubernetes.io/managed-by", "Helm");
        w.WriteEndObject();
    }

    private static void Selector(Utf8JsonWriter w, string app)
    {
        w.WriteStartObject("selector");
        w.WriteStartObject("matchLabels");
        w.WriteString("app", app);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Conditions(Utf8JsonWriter w, params (string Type, string Status, string? Reason)[] conditions)
    {
        w.WriteStartArray("conditions");
        foreach (var (type, status, reason) in conditions)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("status", status);
            if (reason is not null) w.WriteString("reason", reason);
            w.WriteString("lastTransitionTime", "2026-11-20T08:00:05Z");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void Write(string group, string kind, Action<Utf8JsonWriter> body)
    {
        var type = Type(group, kind);
        if (!_pages.TryGetValue(type, out var page)) _pages[type] = page = new PageWriter(type);
        page.Add(body);
        _count++;
        if (page.Count == PageSize) _ready.Enqueue(page.Finish());
    }

    public static string Uid(char kind, int n) => $"{(int)kind:x8}-0000-4000-8000-{n.ToString("x12", CultureInfo.InvariantCulture)}";

    private static string Hash(int a, int b) => ((uint)((a * 2654435761u) ^ (uint)(b * 40503))).ToString("x8", CultureInfo.InvariantCulture)[..8].Replace('0', 'b').Replace('1', 'c');

    private static string Suffix(int n) => ((uint)(n * 2654435761u)).ToString("x8", CultureInfo.InvariantCulture)[..5];

    /// <summary>Builds one page: a <c>{Kind}List</c> whose items carry no apiVersion/kind, as kube-apiserver sends them.</summary>
    private static readonly string[] PodContainers = ["main", "sidecar"];

    private sealed class PageWriter(ResourceType type) : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(512 * 1024);
        private readonly ArrayBufferWriter<byte> _finished = new(512 * 1024);
        private Utf8JsonWriter? _writer;

        public int Count { get; private set; }

        public void Add(Action<Utf8JsonWriter> body)
        {
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
                _writer.WriteStartObject();
                _writer.WriteString("kind", type.Kind + "List");
                _writer.WriteString("apiVersion", type.GroupVersion);
                _writer.WriteStartObject("metadata");
                _writer.WriteString("resourceVersion", "1");
                _writer.WriteEndObject();
                _writer.WriteStartArray("items");
            }
            _writer.WriteStartObject();
            body(_writer);
            _writer.WriteEndObject();
            Count++;
        }

        public GeneratedPage Finish()
        {
            _writer!.WriteEndArray();
            _writer.WriteEndObject();
            _writer.Flush();
            // Hand out a copy in a second reused buffer: this writer may start its next page before the
            // consumer is done with this one only across kinds, never within one.
            _finished.ResetWrittenCount();
            _finished.Write(_buffer.WrittenSpan);
            var page = new GeneratedPage(type, _finished.WrittenMemory, Count);
            _writer.Dispose();
            _writer = null;
            _buffer.ResetWrittenCount();
            Count = 0;
            return page;
        }

        public void Dispose() => _writer?.Dispose();
    }
}
