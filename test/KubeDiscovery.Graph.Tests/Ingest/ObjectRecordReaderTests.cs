using System.Text.Json;
using KubeDiscovery.Graph.Ingest;

namespace KubeDiscovery.Graph.Tests.Ingest;

public sealed class ObjectRecordReaderTests
{
    private readonly ObjectRecordReader _reader = new(new StringPool());

    private InvalidObjectException Fails(string json) =>
        Should.Throw<InvalidObjectException>(() => _reader.Read(JsonDocument.Parse(json).RootElement, Objects.ConfigMaps));

    [Fact]
    public void RecordedTypedListItems_GetApiVersionAndKindFromTheList()
    {
        var pods = new RecordedCluster().Read("api_v1_namespaces_default_pods.json");

        pods.Count.ShouldBe(4);
        pods.ShouldAllBe(p => p.ApiVersion == "v1" && p.Kind == "Pod" && p.Namespace == "default");
        pods[0].Owners.ShouldHaveSingleItem().Kind.ShouldBe("ReplicaSet");
        pods[0].CreationTimestamp.ShouldNotBeNull();
    }

    [Fact]
    public void RepeatedValues_AreSharedNotCopied()
    {
        var pods = new RecordedCluster().Read("api_v1_namespaces_default_pods.json");

        ReferenceEquals(pods[0].Namespace, pods[1].Namespace).ShouldBeTrue();
        ReferenceEquals(pods[0].Owners[0].Kind, pods[1].Owners[0].Kind).ShouldBeTrue();
        ReferenceEquals(pods[0].Status, pods[1].Status).ShouldBeTrue();
    }

    [Fact]
    public void OwnerReferenceWithoutUid_IsRejectedNamingTheField()
    {
        Fails("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"d","uid":"u","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"p"}]}}""")
            .Message.ShouldBe("metadata.ownerReferences[0].uid is missing");
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","metadata":{"name":"x","namespace":"d","uid":"u"}}""", "kind is missing")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":"d","uid":"u"}}""", "metadata.name is missing")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"d"}}""", "metadata.uid is missing")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","uid":"u"}}""", "metadata.namespace is required: configmaps is namespaced")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":7,"namespace":"d","uid":"u"}}""", "metadata.name must be a string, found a number")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"d","uid":"u","creationTimestamp":"yesterday"}}""", "metadata.creationTimestamp \"yesterday\" is not an RFC 3339 time")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"d","uid":"u","ownerReferences":{}}}""", "metadata.ownerReferences must be a list, found an object")]
    public void MalformedObjects_AreRejectedWithAClearMessage(string json, string message)
    {
        Fails(json).Message.ShouldBe(message);
    }
}
