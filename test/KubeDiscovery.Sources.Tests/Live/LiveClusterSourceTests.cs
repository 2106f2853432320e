using System.Text.Json.Nodes;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Live;
using KubeDiscovery.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Sources.Tests.Live;

public sealed class LiveClusterSourceTests
{
    private static JsonObject Deployment(string name, int replicas = 1) => JsonNode.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}","namespace":"default","labels":{"app":"{{{name}}}"}},
         "spec":{"replicas":{{{replicas}}}},"status":{"availableReplicas":0}}
        """)!.AsObject();

    private static JsonObject Pod(string name, string ownerUid) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default",
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"{{{ownerUid}}}","controller":true}]},
         "status":{"phase":"Running"}}
        """)!.AsObject();

    [Fact]
    public async Task FirstSync_IndexHoldsExactlyTheServersObjects()
    {
        await using var live = await LiveHarness.StartAsync();

        live.Cache.HasSynced.ShouldBeTrue();
        live.Differences().ShouldBeEmpty();
        live.Cache.Index.Count.ShouldBeGreaterThan(15);
        live.Cache.Catalog.Resolve("pg")!.GroupResource.ShouldBe(new GroupResource("db.example.com", "postgreses"));
    }

    [Fact]
    public async Task FirstSync_ListsInPagesWhenTheServerPages()
    {
        await using var live = await LiveHarness.StartAsync(LiveHarness.FastOptions with { PageSize = 2 });

        live.Differences().ShouldBeEmpty();
        live.Server.Requests.ShouldContain(r => r.Path == "/api/v1/pods" && r.Query.Contains("continue="));
    }

    [Fact]
    public async Task StatusFreeKinds_AreFetchedAsMetadataOnly_SoSecretDataNeverArrives()
    {
        await using var live = await LiveHarness.StartAsync();

        var secretRequests = live.Server.Requests.Where(r => r.Path == "/api/v1/secrets").ToList();
        secretRequests.ShouldNotBeEmpty();
        secretRequests.ShouldAllBe(r => r.Accept.Contains("as=PartialObjectMetadata"));
        live.Server.Requests.Where(r => r.Path == "/api/v1/pods").ShouldAllBe(r => !r.Accept.Contains("as=PartialObjectMetadata"));
        // The pods' status still feeds the answer.
        live.Cache.Index.List(new GroupResource("", "pods"), "default").ShouldAllBe(p => p.Status.Reason == "Pending");
    }

    [Fact]
    public async Task KindRbacHidesFromUs_DoesNotHoldTheSync_AndArrivesOnceAccessIsGranted()
    {
        await using var live = await LiveHarness.StartAsync(start: false);
        live.Server.Faults.Forbid("secrets");
        await live.Source.StartAsync(CancellationToken.None);
        await live.Source.Synced.WaitAsync(TimeSpan.FromSeconds(20));

        live.Cache.HasSynced.ShouldBeTrue();
        live.Cache.Index.List(new GroupResource("", "secrets"), null).ShouldBeEmpty();
        live.Cache.Health.Checks.ShouldContain(c => c.Name == "watch/secrets" && !c.Healthy && c.Detail.Contains("403"));

        live.Server.Faults.Permit("secrets");
        await LiveHarness.WaitUntil(() => live.Differences().Count == 0, "the secrets to arrive once allowed");
    }

    [Fact]
    public async Task Events_AreNotFollowedAsObjects_OnlyTheirWarningsForCauses()
    {
        await using var live = await LiveHarness.StartAsync();
        await LiveHarness.WaitUntil(() => live.Server.Requests.Any(r => r.Path.EndsWith("/events", StringComparison.Ordinal)), "the Warning Events are listed");

        live.Source.Following.ShouldNotContain(t => t.Plural == "events");
        live.Cache.Catalog.Resolve("events").ShouldBeNull();
        live.Server.Requests.Where(r => r.Path.EndsWith("/events", StringComparison.Ordinal))
            .ShouldAllBe(r => r.Path == "/api/v1/events" && r.Query.Contains("fieldSelector=type%3DWarning"));
    }

    [Fact]
    public async Task WatchEvents_CreateUpdateDelete_ReachTheIndex()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;

        var created = store.Apply(Deployment("web"));
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid) is not null, "created deployment indexed");

        var updated = Deployment("web");
        updated["status"]!["availableReplicas"] = 1;
        store.Apply(updated);
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid)?.Status.Ready == ReadyState.True, "status update indexed");

        store.Delete("apps", "Deployment", "default", "web");
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid) is null, "deletion indexed");
        live.Differences().ShouldBeEmpty();

        // Each event is counted by type for its resource; every followed resource had one first sync.
        var deployments = live.Events.GetMeasurementSnapshot().Where(m => (string?)m.Tags["resource"] == "deployments").ToList();
        deployments.Select(m => (string?)m.Tags["type"]).ShouldContain("ADDED");
        deployments.Select(m => (string?)m.Tags["type"]).ShouldContain("MODIFIED");
        deployments.Select(m => (string?)m.Tags["type"]).ShouldContain("DELETED");
        live.FirstSync.GetMeasurementSnapshot().Count.ShouldBe(live.Source.Following.Count);
    }

    [Fact]
    public async Task WatchDropped50TimesInARow_IndexStillEqualsTheStore()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;
        var rsUid = store.Snapshot().First(s => s.Resource.Kind == "ReplicaSet").Object["metadata"]!["uid"]!.GetValue<string>();

        // Each new watch delivers at most one event, then its connection is cut.
        live.Server.Faults.DropWatches(50, afterEvents: 1);
        live.Server.Faults.DropOpenWatches();
        for (var i = 0; i < 60; i++)
        {
            store.Apply(Pod($"churn-{i}", rsUid));
            if (i % 3 == 0) store.Delete("", "Pod", "default", $"churn-{i / 2}");
            if (i % 10 == 0) await Task.Delay(20);
        }

        await LiveHarness.WaitUntil(() => live.Server.Faults.DropsLeft == 0, "all 50 drops used");
        await LiveHarness.WaitUntil(() => live.Differences().Count == 0, "index equals store after 50 drops");
        live.Differences().ShouldBeEmpty();
    }

    [Fact]
    public async Task RunOf500s_IsRetriedWithBackoff_AndEndsEqualToTheStore()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;

        live.Server.Faults.FailRequests(30);
        live.Server.Faults.DropOpenWatches();
        store.Apply(Deployment("during-outage"));
        store.Delete("", "Service", "default", "pg1");
        await LiveHarness.WaitUntil(() => live.Cache.Health.Checks.Any(c => !c.Healthy), "a reflector reports the outage");

        await LiveHarness.WaitUntil(() => live.Server.Faults.FailuresLeft == 0, "all 500s served");
        await LiveHarness.WaitUntil(() => live.Differences().Count == 0, "index equals store after the 500s");
        await LiveHarness.WaitUntil(() => live.Cache.Health.Checks.All(c => c.Healthy), "every reflector healthy again");
    }

    [Fact]
    public async Task ExpiredResourceVersion_Relists_AndDeletesWhatVanishedMeanwhile()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;
        var vanishing = store.Snapshot().First(s => s.Resource.Kind == "Pod").Object["metadata"]!;
        long PodRelists() => live.Relists.GetMeasurementSnapshot().Where(m => (string?)m.Tags["resource"] == "pods").Sum(m => m.Value);
        PodRelists().ShouldBe(0);
        var vanishingUid = vanishing["uid"]!.GetValue<string>();

        // The reflectors hear nothing while history moves on and is compacted away.
        live.Server.Faults.StallWatches = true;
        store.Delete("", "Pod", "default", vanishing["name"]!.GetValue<string>());
        store.Apply(Deployment("born-in-the-gap"));
        store.Compact();
        live.Server.Faults.DropOpenWatches();
        live.Server.Faults.StallWatches = false;

        await LiveHarness.WaitUntil(() => live.Differences().Count == 0, "index equals store after 410");
        live.Cache.Index.FindByUid(vanishingUid).ShouldBeNull();
        // Re-listed pods after the compaction, not merely resumed.
        live.Server.Requests.Count(r => r.Path == "/api/v1/pods" && !r.Query.Contains("watch=true")).ShouldBeGreaterThanOrEqualTo(2);
        // And the metrics say so: a relist after 410, a second full list.
        PodRelists().ShouldBeGreaterThanOrEqualTo(1);
        live.Lists.GetMeasurementSnapshot().Count(m => (string?)m.Tags["resource"] == "pods").ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task CrdCreatedAfterStart_IsFollowed_AndDeletingItDropsItsObjects()
    {
        await using var live = await LiveHarness.StartAsync();
        var store = live.Server.Store;

        store.Apply("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"caches.infra.example.org"},
             "spec":{"group":"infra.example.org","scope":"Namespaced","names":{"plural":"caches","singular":"cache","kind":"Cache","shortNames":["ch"]},
                     "versions":[{"name":"v1beta1","served":true,"storage":true}]}}
            """);
        var cache = store.Apply("""{"apiVersion":"infra.example.org/v1beta1","kind":"Cache","metadata":{"name":"hot","namespace":"default"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        var uid = cache["metadata"]!["uid"]!.GetValue<string>();

        await LiveHarness.WaitUntil(() => live.Cache.Catalog.Resolve("ch") is not null, "the new kind resolves");
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid) is not null, "the custom resource is indexed");
        live.Cache.Index.FindByUid(uid)!.Status.Ready.ShouldBe(ReadyState.True);

        store.Delete("apiextensions.k8s.io", "CustomResourceDefinition", null, "caches.infra.example.org");
        await LiveHarness.WaitUntil(() => live.Cache.Catalog.Resolve("ch") is null, "the kind is gone");
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid) is null, "its objects are gone");
    }

    [Fact]
    public async Task BeforeFirstList_CacheIsNotSynced()
    {
        await using var live = await LiveHarness.StartAsync(start: false);
        live.Server.Faults.StallLists = true;

        await live.Source.StartAsync(CancellationToken.None);
        await LiveHarness.WaitUntil(() => live.Server.Requests.Any(r => r.Path == "/api/v1/pods" && !r.Query.Contains("watch=true")), "pods being listed");
        live.Cache.HasSynced.ShouldBeFalse();

        live.Server.Faults.StallLists = false;
        await live.Source.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        live.Cache.HasSynced.ShouldBeTrue();
    }

    [Fact]
    public async Task UnreachableCluster_FailsStartWithTheServerInTheMessage()
    {
        await using var live = await LiveHarness.StartAsync(LiveHarness.FastOptions with { StartupTimeout = TimeSpan.FromSeconds(3) }, start: false);
        live.Server.Faults.FailDiscoveryToo = true;
        live.Server.Faults.FailRequests(1000, 503);

        var error = await Should.ThrowAsync<ClusterAccessException>(() => live.Source.StartAsync(CancellationToken.None));

        error.Message.ShouldContain(live.Server.Url.Authority);
        error.Message.ShouldContain("503");
    }

    [Fact]
    public async Task QuietWatchesEndedByTheServerAtTheirTimeout_ResumeAtOnce_AndAreNoFailure()
    {
        // kube-apiserver ends a watch at its timeoutSeconds; for a kind nothing happens to, with an empty body.
        await using var live = await LiveHarness.StartAsync(LiveHarness.FastOptions with { WatchTimeout = TimeSpan.FromSeconds(1) },
            configure: server => server.SendBookmarks = false);
        static bool IsConfigMapWatch(RecordedRequest r) => r.Path == "/api/v1/configmaps" && r.Query.Contains("watch=true");

        await LiveHarness.WaitUntil(() => live.Server.Requests.Count(IsConfigMapWatch) >= 3, "two configmap watches ended by the server and resumed");

        live.Logs.GetSnapshot().ShouldNotContain(r => r.Id.Id == 102, "a normal end of a watch is no failure");
        live.Cache.Health.Checks.ShouldAllBe(c => c.Healthy);
        // Each resumed where the last one stopped: no re-list.
        live.Server.Requests.Count(r => r.Path == "/api/v1/configmaps" && !r.Query.Contains("watch=true")).ShouldBe(1);
        var created = live.Server.Store.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after-quiet","namespace":"default"}}""");
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(created["metadata"]!["uid"]!.GetValue<string>()) is not null, "the change after the quiet spell");
    }

    [Fact]
    public async Task ControlPlaneBackAfter30sOutage_IndexIsCurrentWithin5s_NotAfterTheGrownBackoff()
    {
        var time = new FakeTimeProvider(); // the double and the live source both on it
        // Production backoff (0.8 s doubling to 30 s): after half a minute down, each reflector waits ~25 s.
        await using var live = await LiveHarness.StartAsync(new LiveSourceOptions { RediscoveryInterval = TimeSpan.FromHours(1) }, time: time);
        var store = live.Server.Store;

        live.Server.Faults.Down = true;
        await LiveHarness.WaitUntil(() => live.Cache.Health.Checks.Count(c => !c.Healthy) > 5, "the reflectors noticing the outage");
        for (var second = 0; second < 30; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20); // a real moment for the retries that came due to fail against the dead server
        }
        live.Server.Faults.Down = false;
        var created = store.Apply(Deployment("after-the-outage"));
        store.Delete("", "Service", "default", "pg1");

        var waited = TimeSpan.Zero;
        while (live.Differences().Count > 0)
        {
            waited.ShouldBeLessThan(TimeSpan.FromSeconds(5), "the index is current within 5 s of the control plane's return: " + string.Join("; ", live.Differences()));
            // Real time for the requests in flight; the test's clock only moves the schedules.
            await LiveHarness.TryWaitUntil(() => live.Differences().Count == 0, seconds: 1);
            if (live.Differences().Count == 0) break;
            time.Advance(TimeSpan.FromMilliseconds(250));
            waited += TimeSpan.FromMilliseconds(250);
        }
        live.Cache.Index.FindByUid(created["metadata"]!["uid"]!.GetValue<string>()).ShouldNotBeNull();
    }

    [Fact]
    public void RecordedDiscovery_ServesIngressesUnderTwoGroupsFromOneStorage()
    {
        // The premise of the test below, from the recordings: equal storageVersionHash in both groups.
        var dir = Path.Combine(Recordings.DefaultDirectory, "discovery");
        static string Hash(string file) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!["resources"]!.AsArray()
            .Single(r => r!["name"]!.GetValue<string>() == "ingresses")!["storageVersionHash"]!.GetValue<string>();
        Hash(Path.Combine(dir, "apis_extensions_v1beta1.json")).ShouldBe(Hash(Path.Combine(dir, "apis_networking.k8s.io_v1.json")));
    }

    [Fact]
    public async Task IngressServedUnderTwoGroups_IsFollowedOnce_AndAnswersUnderEitherName()
    {
        await using var live = await LiveHarness.StartAsync();
        var ingress = live.Server.Store.Apply("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web-ing","namespace":"default"}}""");
        var uid = ingress["metadata"]!["uid"]!.GetValue<string>();
        await LiveHarness.WaitUntil(() => live.Cache.Index.FindByUid(uid) is not null, "the ingress indexed");

        live.Source.Following.Where(t => t.Plural == "ingresses").ShouldHaveSingleItem().Group.ShouldBe("networking.k8s.io");
        live.Server.Requests.ShouldNotContain(r => r.Path.EndsWith("/ingresses", StringComparison.Ordinal) && r.Path.StartsWith("/apis/extensions/", StringComparison.Ordinal));
        foreach (var name in new[] { "ingresses.extensions", "ingresses.networking.k8s.io", "ing" })
        {
            var type = live.Cache.Catalog.Resolve(name).ShouldNotBeNull(name);
            live.Cache.Index.Find(type.Storage, "default", "web-ing").ShouldNotBeNull(name).Uid.ShouldBe(uid);
        }
        live.Cache.Index.FindByUid(uid)!.ApiVersion.ShouldBe("networking.k8s.io/v1"); // what it was read as
        live.Differences().ShouldBeEmpty();
    }
}
