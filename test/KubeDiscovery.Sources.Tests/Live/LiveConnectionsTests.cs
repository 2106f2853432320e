using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Connections;

namespace KubeDiscovery.Sources.Tests.Live;

/// <summary>Connections of a live cluster (the double, seeded from the 1.19 recordings): kept current by the watches alone.</summary>
public sealed class LiveConnectionsTests
{
    private static List<string> Edges(LiveHarness live, string resource, string name, Direction direction = Direction.Both)
    {
        var type = live.Cache.Catalog.Resolve(resource)!;
        var record = live.Cache.Index.Find(type.GroupResource, type.Namespaced ? "default" : null, name);
        if (record is null) return [];
        return new ConnectionBuilder(live.Cache.Index, live.Cache.Relations.Current).Build(record, 1, direction, 1000)
            .Edges.Select(e => $"{e.From} {e.Link} {e.To}").ToList();
    }

    // LISTs sent so far, by path: a watch carries watch=true.
    private static List<string> Lists(LiveHarness live) =>
        live.Server.Requests.Where(r => r.Method == "GET" && !r.Query.Contains("watch=true") && (r.Path.StartsWith("/api/v1/", StringComparison.Ordinal) || r.Path.StartsWith("/apis/", StringComparison.Ordinal))
            && r.Path.Count(c => c == '/') >= 4).Select(r => r.Path).ToList();

    private static JsonObject Stored(LiveHarness live, string group, string kind, string name) =>
        live.Server.Store.Get(group, kind, kind == "CustomResourceDefinition" ? null : "default", name) ?? throw new InvalidOperationException($"no {kind} {name}");

    [Fact]
    public async Task ServicesAreFetchedWhole_ForTheirSelector_SecretsStayMetadataOnly()
    {
        await using var live = await LiveHarness.StartAsync();

        live.Server.Requests.Where(r => r.Path == "/api/v1/services").ShouldAllBe(r => !r.Accept.Contains("as=PartialObjectMetadata"));
        live.Server.Requests.Where(r => r.Path == "/api/v1/secrets").ShouldAllBe(r => r.Accept.Contains("as=PartialObjectMetadata"));
        Edges(live, "services", "pg1", Direction.Out).Where(e => e.Contains(" selects ", StringComparison.Ordinal)).ShouldBe(["Service/default/pg1 selects Pod/default/pg1-db-577c9f6d86-sn7xs"]);
        Edges(live, "secrets", "default-token-tgkpn", Direction.In).Count(e => e.Contains(" mounts ", StringComparison.Ordinal)).ShouldBe(4);
        Edges(live, "deployments", "pg1-db", Direction.Out).ShouldBe(
            ["Deployment.apps/default/pg1-db mounts ConfigMap/default/pg1-config", "Deployment.apps/default/pg1-db owns ReplicaSet.apps/default/pg1-db-577c9f6d86",
             "Deployment.apps/default/pg1-db reads-env-from Secret/default/pg1-creds"], ignoreOrder: true);
    }

    [Fact]
    public async Task SelectorsLabelsVolumesDeletionsAndLabelRules_MoveWithTheWatch_WithoutAnyList()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;
        var listsBefore = Lists(live).Count;

        var service = Stored(live, "", "Service", "pg1");
        service["spec"]!["selector"] = new JsonObject { ["app"] = "nginx" };
        store.Apply(service);
        await LiveHarness.WaitUntil(() => Edges(live, "services", "pg1", Direction.Out).Count(e => e.Contains("selects Pod/default/nginx-", StringComparison.Ordinal)) == 3, "the new selector's Pods");

        var pod = Stored(live, "", "Pod", "nginx-66b956cf97-fhp45");
        pod["metadata"]!["labels"]!["app"] = "quarantined";
        store.Apply(pod);
        await LiveHarness.WaitUntil(() => !Edges(live, "services", "pg1", Direction.Out).Contains("Service/default/pg1 selects Pod/default/nginx-66b956cf97-fhp45"), "the relabelled Pod leaves the selection");

        var db = Stored(live, "", "Pod", "pg1-db-577c9f6d86-sn7xs");
        var volumes = db["spec"]!["volumes"]!.AsArray();
        volumes.Remove(volumes.Single(v => v!["name"]!.GetValue<string>() == "cfg"));
        store.Apply(db);
        await LiveHarness.WaitUntil(() => !Edges(live, "configmaps", "pg1-config", Direction.In).Any(e => e.StartsWith("Pod/", StringComparison.Ordinal)), "the removed volume's edge is gone");

        store.Delete("", "Secret", "default", "pg1-creds");
        await LiveHarness.WaitUntil(() => DanglingReport.Build(live.Cache.Index, live.Cache.Relations.Current, "default", (_, _) => true)
            .Any(g => g.Link == LinkNames.ReadsEnvFrom && g.Items.Any(i => i.Target.Name == "pg1-creds")), "the deleted Secret's references dangle");

        var crd = Stored(live, "apiextensions.k8s.io", "CustomResourceDefinition", "postgreses.db.example.com");
        crd["metadata"]!["annotations"] = new JsonObject { ["resource/label-relationship"] = "on:Pod, key:app, value:INSTANCE.metadata.name" };
        store.Apply(crd);
        await LiveHarness.WaitUntil(() => Edges(live, "postgreses", "pg1", Direction.Out).Contains("Postgres.db.example.com/default/pg1 labels Pod/default/pg1-db-577c9f6d86-sn7xs"), "the CRD's label rule applies");

        Lists(live).Count.ShouldBe(listsBefore, "every change arrived by watch: " + string.Join(", ", Lists(live).Skip(listsBefore)));
    }

    [Fact]
    public async Task ARuleThatReadsMoreOfAKind_RereadsThatKindOnly()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;
        var pg = Stored(live, "db.example.com", "Postgres", "pg1");
        var uid = pg["metadata"]!["uid"]!.GetValue<string>();
        var before = live.Cache.Index.FindByUid(uid);
        pg["spec"]!["credentialsSecret"] = "pg1-creds";
        store.Apply(pg);
        // Each write indexes a new record: wait for the update itself, read under the rules of the time.
        await LiveHarness.WaitUntil(() => !ReferenceEquals(live.Cache.Index.FindByUid(uid), before), "the update is indexed");
        live.Cache.Index.FindByUid(uid)!.Links.ShouldBeNull();
        var listsBefore = Lists(live).Count;

        store.Apply("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"relations","namespace":"default","labels":{"kubediscovery.io/relations":"true"}},
             "data":{"postgres.yaml":"apiVersion: kubediscovery.io/v1\nkind: RelationRules\nrules:\n- from: {group: db.example.com, kind: Postgres}\n  path: spec.credentialsSecret\n  to: {kind: Secret}\n  link: uses-credentials\n"}}
            """);

        await LiveHarness.WaitUntil(() => Edges(live, "postgreses", "pg1", Direction.Out).Contains("Postgres.db.example.com/default/pg1 uses-credentials Secret/default/pg1-creds")
            && Lists(live).Count > listsBefore, "the rule's edge, after a new LIST");
        var lists = live.Server.Requests.Skip(0).ToList();
        Lists(live).Skip(listsBefore).Distinct().ShouldBe(["/apis/db.example.com/v1/postgreses"],
            "requests: " + string.Join(", ", lists.TakeLast(40).Select(r => $"{r.Method} {r.Path}?{r.Query}")));
        live.Cache.Relations.Current.Errors.ShouldBeEmpty();
    }
}
