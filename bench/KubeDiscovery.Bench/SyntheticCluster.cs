using System.Globalization;
using System.Text.Json.Nodes;
using KubeDiscovery.TestDoubles;

namespace KubeDiscovery.Bench;

/// <summary>
/// A generated cluster shaped like a busy real one: per Deployment two ReplicaSets (the current one
/// and a scaled-down previous revision), ten Pods, five ConfigMaps, a Service and an EndpointSlice
/// it owns. Objects carry realistic metadata, spec and status so wire sizes are realistic (~1-2 KB).
/// 5,000 Deployments make 100,000 objects.
/// </summary>
internal static class SyntheticCluster
{
    public const int ObjectsPerDeployment = 20;

    public static IEnumerable<JsonObject> Objects(int deployments, int namespaces = 50)
    {
        for (var d = 0; d < deployments; d++)
        {
            var ns = $"team-{d % namespaces:D2}";
            var app = $"app-{d:D5}";
            var deployment = Meta("apps/v1", "Deployment", ns, app, Uid('d', d), null);
            deployment["spec"] = Json("""{"replicas":10,"selector":{"matchLabels":{"app":"@0@"}},"template":{"metadata":{"labels":{"app":"@1@"}},"spec":{"containers":[{"name":"main","image":"registry.example.com/@2@:1.4.2","ports":[{"containerPort":8080}]}]}}}""", app, app, app);
            deployment["status"] = JsonNode.Parse("""{"replicas":10,"readyReplicas":10,"availableReplicas":10,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}""");
            yield return deployment;

            for (var r = 0; r < 2; r++)
            {
                var replicas = r == 0 ? 10 : 0;
                var rs = Meta("apps/v1", "ReplicaSet", ns, $"{app}-{r}7c9f{d % 97:D2}", Uid('r', (d * 2) + r), Owner("apps/v1", "Deployment", app, Uid('d', d)));
                rs["spec"] = Json("""{"replicas":@0@,"selector":{"matchLabels":{"app":"@1@","pod-template-hash":"@2@7c9f"}}}""", replicas, app, r);
                rs["status"] = Json("""{"replicas":@0@,"readyReplicas":@1@,"availableReplicas":@2@}""", replicas, replicas, replicas);
                yield return rs;
            }

            var rsName = $"{app}-07c9f{d % 97:D2}";
            for (var p = 0; p < 10; p++)
            {
                yield return Pod(ns, app, $"{rsName}-{p:D2}x4k", Uid('p', (d * 10) + p), rsName, Uid('r', d * 2), "Running");
            }

            for (var c = 0; c < 5; c++)
            {
                var cm = Meta("v1", "ConfigMap", ns, $"{app}-config-{c}", Uid('c', (d * 5) + c), Owner("apps/v1", "Deployment", app, Uid('d', d)));
                cm["data"] = Json("""{"settings.yaml":"log-level: info\nlisten: :8080\nupstream: http://@0@-backend:9090\n"}""", app);
                yield return cm;
            }

            var service = Meta("v1", "Service", ns, app, Uid('s', d), null);
            service["spec"] = Json("""{"selector":{"app":"@0@"},"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}],"clusterIP":"10.96.@1@.@2@","type":"ClusterIP"}""", app, d / 250, d % 250);
            yield return service;

            var slice = Meta("discovery.k8s.io/v1beta1", "EndpointSlice", ns, $"{app}-x8r2d", Uid('e', d), Owner("v1", "Service", app, Uid('s', d)));
            slice["addressType"] = "IPv4";
            slice["ports"] = JsonNode.Parse("""[{"name":"","port":8080,"protocol":"TCP"}]""");
            yield return slice;
        }
    }

    /// <summary>A Pod of <paramref name="app"/> in the given phase (the benchmark flips phases to make watch events).</summary>
    public static JsonObject Pod(string ns, string app, string name, string uid, string rsName, string rsUid, string phase)
    {
        var pod = Meta("v1", "Pod", ns, name, uid, Owner("apps/v1", "ReplicaSet", rsName, rsUid));
        pod["metadata"]!["labels"]!["pod-template-hash"] = "07c9f";
        pod["spec"] = Json("""{"nodeName":"node-@0@","containers":[{"name":"main","image":"registry.example.com/@1@:1.4.2","ports":[{"containerPort":8080}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}],"serviceAccountName":"default"}""", uid[^2..], app);
        var ready = phase == "Running" ? "True" : "False";
        pod["status"] = Json("""{"phase":"@0@","podIP":"10.244.1.@1@","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"@2@"},{"type":"ContainersReady","status":"@3@"},{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"main","ready":@4@,"restartCount":0,"image":"registry.example.com/@5@:1.4.2"}]}""", phase, uid[^2..], ready, ready, ready.ToLowerInvariant(), app);
        return pod;
    }

    // Templates use @0@, @1@… for values: JSON's own braces make interpolated raw strings unreadable.
    private static JsonNode Json(string template, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            template = template.Replace($"@{i}@", Convert.ToString(values[i], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return JsonNode.Parse(template)!;
    }

    public static string Uid(char kind, int n) => $"{(int)kind:x8}-0000-4000-8000-{n.ToString("x12", CultureInfo.InvariantCulture)}";

    private static JsonObject Owner(string apiVersion, string kind, string name, string uid) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static JsonObject Meta(string apiVersion, string kind, string ns, string name, string uid, JsonObject? owner)
    {
        var app = name.Split('-') is [var a, var b, ..] ? $"{a}-{b}" : name;
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = uid,
            ["creationTimestamp"] = "2026-11-01T10:00:00Z",
            ["labels"] = new JsonObject { ["app"] = app, ["team"] = ns },
        };
        if (owner is not null) metadata["ownerReferences"] = new JsonArray(owner);
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    /// <summary>A store holding the recorded built-in resources and <paramref name="deployments"/> × 20 generated objects.</summary>
    public static FakeStore Store(int deployments)
    {
        var store = new FakeStore();
        Recordings.RegisterBuiltins(store, Recordings.DefaultDirectory);
        store.Seed(Objects(deployments));
        return store;
    }
}
