using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;

namespace KubeDiscovery.Graph.Tests.Ingest;

/// <summary>The streaming LIST reader gives exactly what the element reader gives, errors included.</summary>
public sealed class ListPageReaderTests
{
    private readonly RecordedCluster _cluster = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new();

    private ListPage Stream(string json, ResourceType type)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        return _cluster.Reader.ReadListPage(ref reader, type);
    }

    private static string Describe(ObjectRecord r) =>
        $"{r.ApiVersion}|{r.Kind}|{r.Namespace}|{r.Name}|{r.Uid}|{r.CreationTimestamp:O}|"
        + string.Join(",", r.Owners.Select(o => $"{o.ApiVersion}/{o.Kind}/{o.Name}/{o.Uid}/{o.Controller}")) + "|"
        + string.Join(",", r.Labels.Select(l => $"{l.Key}={l.Value}")) + $"|{r.Status.Ready}/{r.Status.Reason}/{r.Status.Message}";

    public static TheoryData<string> RecordedLists => new(Directory.GetFiles(RecordedCluster.ObjectsDirectory, "*.json")
        .Select(Path.GetFileName).Where(f => f != "extension-apiserver-authentication.json")!);

    [Theory]
    [MemberData(nameof(RecordedLists))]
    public void RecordedList_ReadsTheSameRecordsBothWays(string file)
    {
        var json = File.ReadAllText(Path.Combine(RecordedCluster.ObjectsDirectory, file));
        using var doc = JsonDocument.Parse(json);
        var apiVersion = doc.RootElement.GetProperty("apiVersion").GetString()!;
        var kind = doc.RootElement.GetProperty("kind").GetString()![..^"List".Length];
        var type = _cluster.Catalog.FindByKind(KindNames.SplitApiVersion(apiVersion).Group, kind)!;

        var expected = doc.RootElement.GetProperty("items").EnumerateArray().Select(i => Describe(_cluster.Reader.ReadAs(i, type))).ToList();
        var page = Stream(json, type);

        page.Errors.ShouldBeEmpty();
        page.Items.Select(Describe).ShouldBe(expected);
        page.ResourceVersion.ShouldBe(doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        expected.ShouldNotBeEmpty();
    }

    [Fact]
    public void BadItems_AreLeftOutWithTheElementReadersErrors_AndTheRestIsRead()
    {
        var type = _cluster.Catalog.FindByKind("apps", "Deployment")!;
        // A creation time with an offset, from the test's clock.
        var created = _time.GetUtcNow().ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        string[] items =
        [
            $$$"""{"metadata":{"name":"ok","namespace":"default","uid":"u1","labels":{"n":1,"b":true,"z":null},"creationTimestamp":"{{{created}}}"},"spec":{"replicas":"3"},"status":{"availableReplicas":3}}""",
            """{"metadata":{"namespace":"default","uid":"u2"}}""",
            """{"metadata":{"name":"x","uid":"u3"}}""",
            """{"metadata":{"name":"y","namespace":"default","uid":"u4","ownerReferences":{"a":1}}}""",
            """{"metadata":{"name":"z","namespace":"default","uid":"u5","ownerReferences":[{"apiVersion":"v1","kind":"Foo","name":"o"}]},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"metadata":{"name":"w","namespace":"default","uid":"u6","creationTimestamp":"yesterday"}}""",
            """{"metadata":{"name":7,"namespace":"default","uid":"u7"}}""",
            """[1,2]""",
            """{"spec":{}}""",
            """{"metadata":{"name":"last","namespace":"default","uid":"u8","ownerReferences":null,"creationTimestamp":""},"status":{"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}}""",
        ];
        var json = $$"""{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"42","continue":"next"},"items":[{{string.Join(",", items)}}]}""";

        List<string> expectedRecords = [], expectedErrors = [];
        foreach (var item in items)
        {
            using var doc = JsonDocument.Parse(item);
            try
            {
                expectedRecords.Add(Describe(_cluster.Reader.ReadAs(doc.RootElement, type)));
            }
            catch (InvalidObjectException e)
            {
                expectedErrors.Add(e.Message);
            }
        }

        var page = Stream(json, type);
        page.Items.Select(Describe).ShouldBe(expectedRecords);
        page.Errors.ShouldBe(expectedErrors);
        (page.ResourceVersion, page.Continue).ShouldBe(("42", "next"));
        expectedRecords.Count.ShouldBe(2);
    }

    [Fact]
    public void MetadataOnlyPage_ReadsAsTheResourcesVersion()
    {
        var type = _cluster.Catalog.FindByKind("", "Secret")!;
        var page = Stream("""{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"9"},"items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"s","namespace":"default","uid":"u"}}]}""", type);
        page.Items.Single().ApiVersion.ShouldBe("v1");
    }
}
