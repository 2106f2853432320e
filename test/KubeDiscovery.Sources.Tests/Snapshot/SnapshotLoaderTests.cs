using System.Diagnostics;
using System.Text;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Compositions;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Sources.Snapshot;

namespace KubeDiscovery.Sources.Tests.Snapshot;

public sealed class SnapshotLoaderTests
{
    private static readonly string RecordedObjects = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects");

    private static SnapshotFile Text(string name, string content) => new(name, () => new MemoryStream(Encoding.UTF8.GetBytes(content)));

    private static SnapshotFile Encoded(string name, string content, Encoding encoding) =>
        new(name, () => new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(content)]));

    private static ClusterCache Load(params SnapshotFile[] files)
    {
        var cache = new ClusterCache();
        SnapshotLoader.Load(files, cache);
        return cache;
    }

    private static SnapshotException Fails(params SnapshotFile[] files) =>
        Should.Throw<SnapshotException>(() => Load(files));

    [Fact]
    public void RecordedKubeApiserverLists_LoadAsADirectory_WithTheCrdTypingTheCustomResource()
    {
        var cache = new ClusterCache();
        SnapshotLoader.Load(SnapshotLoader.Expand([RecordedObjects]), cache);

        cache.Catalog.Resolve("pg")!.ToString().ShouldBe("postgreses.db.example.com");
        var pg1 = cache.Index.Find(new GroupResource("db.example.com", "postgreses"), "default", "pg1").ShouldNotBeNull();
        new CompositionBuilder(cache.Index).Build(pg1).Children.Select(c => c.Object.Kind).ShouldBe(["Deployment", "Service"]);
        cache.Index.List(new GroupResource("", "pods"), "default").Length.ShouldBe(4);
    }

    [Fact]
    public void MultiDocumentYaml_WithListsAndEmptyDocuments_Loads()
    {
        var cache = Load(Text("cluster.yaml", """
            # a comment
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a, namespace: ns, uid: u1, labels: {tier: web, version: 2}}
            ---
            ---
            apiVersion: v1
            kind: ConfigMapList
            items:
            - metadata: {name: b, namespace: ns, uid: u2}
            """));

        cache.Index.List(new GroupResource("", "configmaps"), "ns").Select(o => o.Name).ShouldBe(["a", "b"]);
        // An unquoted YAML number in a label is still the label's text.
        cache.Index.FindByUid("u1")!.Labels.ShouldContain(new KeyValuePair<string, string>("version", "2"));
    }

    [Fact]
    public void KubectlJsonOutput_AndATopLevelJsonArray_Load()
    {
        var cache = Load(
            Text("list.json", """{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns","uid":"u1"}}]}"""),
            Text("array.txt", """[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","uid":"u2"}}]"""));

        cache.Index.Count.ShouldBe(2);
    }

    [Fact]
    public void FilesWithAByteOrderMark_LoadAsWithout_InUtf8AndUtf16()
    {
        // What Windows editors and PowerShell's redirection write.
        static string Namespace(string name) => $$$"""{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}","uid":"{{{name}}}-uid"}}]}""";
        var cache = Load(
            Encoded("utf8.json", Namespace("a"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
            Encoded("utf16.json", Namespace("b"), Encoding.Unicode),
            Encoded("no-extension", Namespace("c"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
            Encoded("utf8.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: d\n  uid: d-uid\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)));

        cache.Index.Count.ShouldBe(4);
    }

    [Fact]
    public void UnknownKind_GetsAGuessedResourceAndScope()
    {
        var cache = Load(Text("x.yaml", """
            apiVersion: widgets.example.com/v1
            kind: Gadget
            metadata: {name: g, namespace: ns, uid: u1}
            """));

        var type = cache.Catalog.Resolve("gadgets.widgets.example.com").ShouldNotBeNull();
        type.Namespaced.ShouldBeTrue();
    }

    [Fact]
    public void SecretData_IsNeverKept()
    {
        var cache = Load(Text("s.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: ns, uid: u1, annotations: {kubectl.kubernetes.io/last-applied-configuration: "{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}}
            data: {password: aHVudGVyMg==}
            """));

        var record = cache.Index.FindByUid("u1").ShouldNotBeNull();
        // The record type has no field that could hold data or annotations; check nothing leaked into what it has.
        record.Labels.ShouldBeEmpty();
        record.Status.ShouldBe(ObjectStatus.None);
        typeof(ObjectRecord).GetProperties().Select(p => p.Name).ShouldNotContain(n => n.Contains("Data") || n.Contains("Annotation"));
    }

    [Fact]
    public void BadYaml_NamesFileDocumentAndLine()
    {
        var e = Fails(Text("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, uid: u, namespace: n}\n---\nkey: [unclosed\nother: 1\n"));

        e.Problems.ShouldHaveSingleItem().ShouldStartWith("broken.yaml: document 2 (line ");
        e.Message.ShouldContain("invalid YAML");
    }

    [Fact]
    public void DocumentWithoutKind_NamesTheDocument()
    {
        var e = Fails(Text("nokind.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, uid: u}\n---\napiVersion: v1\nmetadata: {name: b}\n"));

        e.Problems.ShouldHaveSingleItem().ShouldBe("nokind.yaml: document 2: kind is missing; every document must be a Kubernetes object or list");
    }

    [Fact]
    public void OwnerReferenceWithoutUid_NamesFileDocumentAndObject()
    {
        var e = Fails(Text("owners.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata:
                name: p
                namespace: ns
                uid: u1
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs}]
            """));

        e.Problems.ShouldHaveSingleItem().ShouldBe("owners.yaml: document 1, items[0] (Pod ns/p): metadata.ownerReferences[0].uid is missing");
    }

    [Fact]
    public void EveryProblemIsReported_AndNothingIsLoaded()
    {
        var cache = new ClusterCache();
        var e = Should.Throw<SnapshotException>(() => SnapshotLoader.Load(
        [
            Text("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: n, uid: u0}\n"),
            Text("b.json", "{ not json"),
            Text("c.yaml", "just a string"),
        ], cache));

        e.Problems.Count.ShouldBe(2);
        e.Problems[0].ShouldStartWith("b.json (line 1, byte ");
        e.Problems[1].ShouldStartWith("c.yaml: document 1: expected an object, found a string");
        cache.Index.Count.ShouldBe(0);
    }

    [Fact]
    public void TenMegabytesOfGarbage_FailsQuicklyWithAClearError()
    {
        var random = new Random(42);
        var bytes = new byte[10 * 1024 * 1024];
        random.NextBytes(bytes);
        var text = new StringBuilder(10 * 1024 * 1024);
        while (text.Length < 10 * 1024 * 1024) text.Append("lorem: ipsum: dolor [ sit } amet\n\t");

        var watch = Stopwatch.StartNew();
        Fails(new SnapshotFile("random.bin.yaml", () => new MemoryStream(bytes))).Message.ShouldContain("random.bin.yaml");
        Fails(Text("garbage.yaml", text.ToString())).Message.ShouldContain("garbage.yaml: document 1");
        Fails(Text("garbage.json", text.ToString())).Message.ShouldContain("garbage.json (line 1");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // a guard against hangs, not a benchmark
    }

    [Fact]
    public void DeeplyNestedInput_IsRefusedInsteadOfOverflowingTheStack()
    {
        Fails(Text("deep.yaml", new string('[', 100_000))).Message.ShouldContain("deep.yaml: document 1");
        Fails(Text("deep.json", new string('[', 100_000))).Message.ShouldContain("deep.json");
    }

    [Fact]
    public void MissingPathAndEmptyDirectory_AreClearErrors()
    {
        var empty = Directory.CreateTempSubdirectory();
        try
        {
            var e = Should.Throw<SnapshotException>(() => SnapshotLoader.Expand(["/no/such/snapshot.yaml", empty.FullName]));
            e.Problems.ShouldBe(["/no/such/snapshot.yaml: no such file or directory", $"{empty.FullName}: the directory has no .yaml, .yml or .json files"]);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void CrdWithoutNames_IsAnError()
    {
        Fails(Text("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: broken.example.com, uid: u1}
            spec: {group: example.com}
            """)).Problems.ShouldHaveSingleItem().ShouldContain("spec.names.plural");
    }

    [Fact]
    public void OneObjectListedUnderTwoGroups_IsOneObject_ResolvedUnderEveryName()
    {
        // What `kubectl get -A -o yaml ingresses.networking.k8s.io,ingresses.extensions,events,events.events.k8s.io` prints on 1.19.
        var cache = new ClusterCache();
        var report = SnapshotLoader.Load([Text("dump.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web-ing, namespace: shop, uid: ing-1}}
            - {apiVersion: extensions/v1beta1, kind: Ingress, metadata: {name: web-ing, namespace: shop, uid: ing-1}}
            - {apiVersion: v1, kind: Event, metadata: {name: web.1, namespace: shop, uid: ev-1}}
            - {apiVersion: events.k8s.io/v1, kind: Event, metadata: {name: web.1, namespace: shop, uid: ev-1}}
            """)], cache);

        cache.Index.Count.ShouldBe(2);
        report.Duplicates.ShouldBe(2);
        report.DuplicatesNote!.ShouldContain("2 items");
        foreach (var name in new[] { "ingresses", "ingresses.extensions", "ingresses.networking.k8s.io", "ing" })
        {
            var type = cache.Catalog.Resolve(name).ShouldNotBeNull(name);
            cache.Index.Find(type.Storage, "shop", "web-ing").ShouldNotBeNull(name).Uid.ShouldBe("ing-1");
        }
        cache.Catalog.Resolve("ingresses.extensions")!.Group.ShouldBe("extensions"); // answered under the name asked
        foreach (var name in new[] { "events", "events.events.k8s.io" })
        {
            cache.Index.List(cache.Catalog.Resolve(name)!.Storage, "shop").ShouldHaveSingleItem(name);
        }
        cache.Catalog.Followed.Count(t => t.Plural == "ingresses").ShouldBe(1);
    }

    [Fact]
    public void AListWrittenAsKubectlWritesIt_ItemsBeforeKind_IsReadItemByItem_AndATypedListStampsItsItems()
    {
        // kubectl -o json writes apiVersion, items, kind, metadata: the list's kind comes after its items.
        var cache = Load(Text("dump.json", """
            {"apiVersion":"apps/v1","items":[
              {"metadata":{"name":"web","namespace":"shop","uid":"d-1"},"spec":{"replicas":2}},
              {"metadata":{"name":"api","namespace":"shop","uid":"d-2"},"spec":{"replicas":1}}],
             "kind":"DeploymentList","metadata":{"resourceVersion":"9"}}
            """), Text("more.json", """
            {"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop","uid":"c-1"}}],"kind":"List"}
            """));

        var deployments = cache.Catalog.Resolve("deployments")!.Storage;
        cache.Index.List(deployments, "shop").Select(r => r.Name).Order().ShouldBe(["api", "web"]);
        cache.Index.Find(cache.Catalog.Resolve("configmaps")!.Storage, "shop", "settings").ShouldNotBeNull().Uid.ShouldBe("c-1");
    }

    [Fact]
    public void AnObjectWithAFieldNamedItems_IsOneObject_NotAList()
    {
        var cache = Load(Text("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: baskets.example.com, uid: crd-1}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: baskets, singular: basket, kind: Basket}
              versions: [{name: v1, served: true, storage: true}]
            """), Text("basket.json", """
            {"apiVersion":"example.com/v1","items":[{"name":"apple"},{"name":"pear"}],"kind":"Basket","metadata":{"name":"fruit","namespace":"shop","uid":"b-1"}}
            """));

        cache.Index.Find(cache.Catalog.Resolve("baskets")!.Storage, "shop", "fruit").ShouldNotBeNull().Uid.ShouldBe("b-1");
    }

    [Fact]
    public void ObjectsWithoutUid_AreSkippedWithOneWarningCountingThemByKind()
    {
        // kube-apiserver 1.19 serves componentstatuses without metadata.uid; a real dump includes them.
        var cache = new ClusterCache();
        var report = SnapshotLoader.Load([Text("dump.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ComponentStatus, metadata: {name: scheduler}, conditions: [{type: Healthy, status: "True"}]}
            - {apiVersion: v1, kind: ComponentStatus, metadata: {name: etcd-0}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: ok, namespace: n, uid: u1}}
            """)], cache);

        cache.Index.Count.ShouldBe(1);
        report.SkippedWarning.ShouldBe("skipped 2 objects without metadata.uid, which can be part of no tree: 2 ComponentStatus");
    }

    [Fact]
    public void ThisServersOwnAnswers_InADumpOfAClusterItServes_AreSkippedAndCounted()
    {
        // kubectl get -A lists compositions too, on a cluster where this server is installed.
        var cache = new ClusterCache();
        var report = SnapshotLoader.Load([Text("dump.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: kubediscovery.io/v1, kind: Composition, metadata: {name: deployment.web, namespace: n}, root: {kind: Deployment, name: web}}
            - {apiVersion: kubediscovery.io/v1, kind: ClusterComposition, metadata: {name: node.n1}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: ok, namespace: n, uid: u1}}
            """)], cache);

        cache.Index.Count.ShouldBe(1);
        cache.Catalog.Followed.ShouldNotContain(t => t.Group == "kubediscovery.io");
        report.OursNote.ShouldBe("skipped 2 kubediscovery.io items (this server's own answers, in a dump of a cluster it serves): they are no cluster objects");
    }

    [Theory]
    [InlineData("empty.yaml", "")]
    [InlineData("blank.json", "  \n")]
    [InlineData("comments.yaml", "# nothing here\n---\n")]
    public void FileWithNoObjects_IsAnErrorNamingIt(string name, string content)
    {
        Fails(Text(name, content)).Problems.ShouldHaveSingleItem().ShouldStartWith(name + ": the file ");
    }
}
