using KubeDiscovery.Api.OpenApi;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace KubeDiscovery.Tests.Api;

public sealed class OpenApiDocumentsTests
{
    private static readonly OpenApiDocuments Documents = new();

    private static OpenApiDocument Read(OpenApiDocuments.Document document, out OpenApiDiagnostic diagnostic)
    {
        using var stream = new MemoryStream(document.Bytes);
        return new OpenApiStreamReader().Read(stream, out diagnostic);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    public void Documents_AreValidOpenApi_WithEveryKindAndItsGroupVersionKind(string version)
    {
        var doc = Read(version == "v2" ? Documents.V2 : Documents.V3, out var diagnostic);

        diagnostic.Errors.ShouldBeEmpty(string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        diagnostic.SpecificationVersion.ShouldBe(version == "v2" ? Microsoft.OpenApi.OpenApiSpecVersion.OpenApi2_0 : Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
        foreach (var kind in new[] { "Composition", "CompositionList", "ClusterComposition", "ClusterCompositionList" })
        {
            var schema = doc.Components.Schemas[$"io.kubediscovery.v1.{kind}"];
            schema.Extensions.ShouldContainKey("x-kubernetes-group-version-kind");
        }
        doc.Components.Schemas["io.kubediscovery.v1.CompositionNode"].Properties["children"].Items.Reference.Id.ShouldBe("io.kubediscovery.v1.CompositionNode");
        doc.Paths.Keys.ShouldContain("/apis/kubediscovery.io/v1/namespaces/{namespace}/compositions/{name}");
        doc.Paths["/apis/kubediscovery.io/v1/clustercompositions"].Operations[OperationType.Get].Extensions.ShouldContainKey("x-kubernetes-action");
    }

    [Fact]
    public void V3Index_NamesTheGroupVersionDocumentByItsHash()
    {
        var index = System.Text.Json.JsonDocument.Parse(Documents.V3Index.Bytes).RootElement;

        index.GetProperty("paths").GetProperty("apis/kubediscovery.io/v1").GetProperty("serverRelativeURL").GetString()
            .ShouldBe($"/openapi/v3/apis/kubediscovery.io/v1?hash={Documents.V3.Hash}");
    }
}
