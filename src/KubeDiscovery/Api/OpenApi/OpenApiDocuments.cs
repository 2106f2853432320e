using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace KubeDiscovery.Api.OpenApi;

/// <summary>
/// The OpenAPI documents kube-apiserver's aggregator downloads and merges (<c>/openapi/v2</c>) and that
/// kubectl reads for <c>explain</c> (<c>/openapi/v3</c>: the index, then the group-version document).
/// Built once: what this server serves does not change with the cluster. The per-kind
/// <c>{plural}/compositions</c> subresources are left out of <c>paths</c> (they follow the cluster's
/// kinds); their answers are the <c>Composition</c> schema.
/// </summary>
internal sealed class OpenApiDocuments
{
    public const string V3Path = "apis/" + KubeDiscoveryApi.GroupVersion;

    private static readonly (string Path, string Action, string Kind, string Id, string Description, bool Namespaced, bool Named)[] Operations =
    [
        ($"{KubeDiscoveryApi.Prefix}/changes", "list", "Change", "listKubediscoveryV1ChangeForAllNamespaces", "list or watch the changes history recorded, oldest first (with --history-db)", false, false),
        ($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/changes", "list", "Change", "listKubediscoveryV1NamespacedChange", "list or watch the changes of a namespace's objects, oldest first (with --history-db)", true, false),
        ($"{KubeDiscoveryApi.Prefix}/appinstances", "list", "Application", "listKubediscoveryV1ApplicationForAllNamespaces", "list what users deployed (Helm, Argo CD, Flux, labels, rules) in every namespace, with health, revision and cause", false, false),
        ($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/appinstances", "list", "Application", "listKubediscoveryV1NamespacedApplication", "list what users deployed in a namespace, with health, revision and cause", true, false),
        ($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/appinstances/{{name}}", "get", "Application", "readKubediscoveryV1NamespacedApplication", "read an application, named form.name (helm.cart), with its members' trees", true, true),
        ($"{KubeDiscoveryApi.Prefix}/compositions", "list", "Composition", "listKubediscoveryV1CompositionForAllNamespaces", "list the compositions of every root object in every namespace", false, false),
        ($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/compositions", "list", "Composition", "listKubediscoveryV1NamespacedComposition", "list the compositions of every root object in a namespace", true, false),
        ($"{KubeDiscoveryApi.Prefix}/namespaces/{{namespace}}/compositions/{{name}}", "get", "Composition", "readKubediscoveryV1NamespacedComposition", "read the composition of an object, named kind[.group].name", true, true),
        ($"{KubeDiscoveryApi.Prefix}/clustercompositions", "list", "ClusterComposition", "listKubediscoveryV1ClusterComposition", "list the compositions of every cluster-scoped root object", false, false),
        ($"{KubeDiscoveryApi.Prefix}/clustercompositions/{{name}}", "get", "ClusterComposition", "readKubediscoveryV1ClusterComposition", "read the composition of a cluster-scoped object, named kind[.group].name", false, true),
    ];

    private static readonly (string Name, string Type, string Description)[] ApplicationParameters =
    [
        ("labelSelector", "string", "Only applications whose labels match (their own object's, else those all their members share)"),
        ("fieldSelector", "string", "Only applications whose fields match: metadata.name, metadata.namespace, source, status.ready"),
        ("watch", "boolean", "Stream a row whenever an application's health, revision, membership or cause changes"),
        ("resourceVersion", "string", "Where a watch starts: the list's resourceVersion"),
        ("timeoutSeconds", "integer", "When a watch ends"),
    ];

    private static readonly (string Name, string Type, string Description)[] ListParameters =
    [
        ("labelSelector", "string", "Only roots whose labels match"),
        ("fieldSelector", "string", "Only roots whose fields match: metadata.name, metadata.namespace, root.kind, root.name, root.apiVersion, status.ready (True, False, Unknown or -)"),
        ("limit", "integer", "The most items in one page"),
        ("continue", "string", "The continue token of the previous page"),
    ];

    private static readonly (string Name, string Type, string Description)[] ChangeParameters =
    [
        ("fieldSelector", "string", "resource=, name=, manager= and since= (a Go duration or an RFC 3339 time), as the query parameters of the same names"),
        ("since", "string", "The window's start: a Go duration back from now (1h, the default) or an RFC 3339 time"),
        ("resource", "string", "Only changes of this resource, as kubectl names it (deploy, deployments.apps)"),
        ("name", "string", "Only changes of objects of this name"),
        ("manager", "string", "Only changes by this field manager or audited user"),
        ("limit", "integer", "The most items in one page"),
        ("continue", "string", "The continue token of the previous page"),
        ("watch", "boolean", "Stream each change recorded after resourceVersion"),
        ("resourceVersion", "string", "Where a watch starts: the list's resourceVersion"),
        ("timeoutSeconds", "integer", "When a watch ends"),
    ];

    private static readonly (string Name, string Type, string Description)[] TreeParameters =
    [
        ("depth", "integer", "Levels below each root to expand"),
        ("format", "string", "json (the default), tree, dot or mermaid"),
    ];

    public OpenApiDocuments()
    {
        V2 = Document.Of(BuildV2());
        V3 = Document.Of(BuildV3());
        V3Index = Document.Of(new JsonObject
        {
            ["paths"] = new JsonObject
            {
                [V3Path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{V3Path}?hash={V3.Hash}" },
            },
        });
    }

    public Document V2 { get; }
    public Document V3 { get; }
    public Document V3Index { get; }

    private static JsonObject Info() => new()
    {
        ["title"] = "KubeDiscovery",
        ["description"] = "What objects are made of, and what they belong to",
        ["version"] = "v" + (typeof(OpenApiDocuments).Assembly.GetName().Version?.ToString(3) ?? "0.1.0"),
    };

    private static JsonObject Gvk(string kind) => new() { ["group"] = KubeDiscoveryApi.Name, ["version"] = KubeDiscoveryApi.Version, ["kind"] = kind };

    private static JsonObject BuildV2() => new()
    {
        ["swagger"] = "2.0",
        ["info"] = Info(),
        ["paths"] = Paths(v3: false),
        ["definitions"] = OpenApiSchemas.All("#/definitions/"),
    };

    private static JsonObject BuildV3() => new()
    {
        ["openapi"] = "3.0.0",
        ["info"] = Info(),
        ["paths"] = Paths(v3: true),
        ["components"] = new JsonObject { ["schemas"] = OpenApiSchemas.All("#/components/schemas/") },
    };

    // The same operations in both versions; they differ in how a parameter's type and a response's schema are written.
    private static JsonObject Paths(bool v3)
    {
        // A JsonNode, not a JsonObject: JsonArray.Add<T> of anything else is the reflection-based overload (a trim warning).
        JsonNode Parameter(string name, string @in, string type, string description, bool required = false)
        {
            var parameter = new JsonObject { ["name"] = name, ["in"] = @in, ["description"] = description };
            if (required) parameter["required"] = true;
            if (v3) parameter["schema"] = new JsonObject { ["type"] = type };
            else parameter["type"] = type;
            return parameter;
        }

        var paths = new JsonObject();
        foreach (var op in Operations)
        {
            var parameters = new JsonArray();
            foreach (var (name, type, description) in op.Kind == "Change" ? ChangeParameters : op.Kind == "Application" ? (op.Named ? [] : ApplicationParameters) : op.Named ? TreeParameters : [.. ListParameters, .. TreeParameters])
            {
                parameters.Add(Parameter(name, "query", type, description));
            }
            var pathParameters = new JsonArray();
            if (op.Named) pathParameters.Add(Parameter("name", "path", "string", "the item name", required: true));
            if (op.Namespaced) pathParameters.Add(Parameter("namespace", "path", "string", "object name and auth scope", required: true));
            var schema = new JsonObject { ["$ref"] = (v3 ? "#/components/schemas/" : "#/definitions/") + OpenApiSchemas.Prefix + (op.Named ? op.Kind : op.Kind + "List") };
            var ok = v3
                ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } } }
                : new JsonObject { ["description"] = "OK", ["schema"] = schema };
            var get = new JsonObject
            {
                ["description"] = op.Description,
                ["operationId"] = op.Id,
                ["tags"] = new JsonArray(v3 ? "kubediscovery_v1" : "kubediscoveryV1"),
                ["parameters"] = parameters,
                ["responses"] = new JsonObject { ["200"] = ok, ["401"] = new JsonObject { ["description"] = "Unauthorized" } },
                ["x-kubernetes-action"] = op.Action,
                ["x-kubernetes-group-version-kind"] = Gvk(op.Kind),
            };
            if (!v3)
            {
                get["consumes"] = new JsonArray("*/*");
                get["produces"] = new JsonArray("application/json");
            }
            paths[op.Path] = new JsonObject { ["get"] = get, ["parameters"] = pathParameters };
        }
        return paths;
    }

    /// <summary>A document's bytes, and the hash that names this version (ETag, and the v3 index's <c>?hash=</c>).</summary>
    internal sealed record Document(byte[] Bytes, string Hash)
    {
        public string ETag => $"\"{Hash}\"";

        public static Document Of(JsonObject json)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
            return new Document(bytes, Convert.ToHexString(SHA512.HashData(bytes))[..32]);
        }
    }
}
