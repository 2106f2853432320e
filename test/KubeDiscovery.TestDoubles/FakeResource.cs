using System.Text.Json.Nodes;

namespace KubeDiscovery.TestDoubles;

/// <summary>A resource the fake server lists and watches, as its discovery documents describe it.</summary>
public sealed record FakeResource
{
    public required string Group { get; init; }
    /// <summary>Served versions, preferred first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }
    public required string Plural { get; init; }
    public required string Kind { get; init; }
    public string Singular { get; init; } = "";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "get", "list", "patch", "update", "watch"];
    /// <summary>Defined by a CustomResourceDefinition in the store (its list items carry apiVersion and kind).</summary>
    public bool IsCustom { get; init; }

    /// <summary>Discovery's storageVersionHash; empty when the document gave none.</summary>
    public string StorageVersionHash { get; init; } = "";

    /// <summary>
    /// The key of the resource whose storage this one serves (<c>extensions/ingresses</c> serving
    /// <c>networking.k8s.io/ingresses</c>), or null when it has its own.
    /// </summary>
    public string? StoredIn { get; init; }

    /// <summary>The key its objects and events are kept under.</summary>
    public string StorageKey => StoredIn ?? Key;

    public string Key => $"{Group}/{Plural}";

    public string ListKind => Kind + "List";

    public string GroupVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public string PreferredGroupVersion => GroupVersion(Versions[0]);

    internal JsonObject ToDiscoveryEntry()
    {
        var entry = new JsonObject
        {
            ["name"] = Plural,
            ["singularName"] = Singular,
            ["namespaced"] = Namespaced,
            ["kind"] = Kind,
            ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
        };
        if (StorageVersionHash.Length > 0) entry["storageVersionHash"] = StorageVersionHash;
        if (ShortNames.Count > 0) entry["shortNames"] = new JsonArray(ShortNames.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
        return entry;
    }
}
