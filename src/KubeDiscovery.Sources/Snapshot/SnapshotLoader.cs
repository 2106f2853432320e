using System.Text;
using System.Text.Json;
using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Ingest;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.Graph.Resources;
using KubeDiscovery.Sources.Discovery;
using YamlDotNet.Core;

namespace KubeDiscovery.Sources.Snapshot;

/// <summary>
/// Loads a cluster snapshot — YAML or JSON files, multi-document YAML, <c>List</c>/<c>*List</c> wrappers,
/// <c>kubectl get -A -o yaml|json</c> output — into a <see cref="ClusterCache"/>. The catalog is the
/// built-in discovery, plus the snapshot's CRDs, plus a guessed type for any other kind it contains.
/// Every problem is collected and reported with its file and document; nothing is loaded if any exists.
/// </summary>
public static class SnapshotLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private const string DemoPrefix = "demo-cluster/";

    // The snapshot's own CRDs and rules ConfigMaps may carry relation rules, known only once loaded:
    // objects of a kind whose extraction changed are read again (from the documents still in memory).
    private static void RereadForNewRules(ClusterCache cache, ResourceCatalog catalog, List<Candidate> candidates, Graph.Connections.Extraction.ExtractionPlans before)
    {
        var after = cache.Relations.Current.Plans;
        if (ReferenceEquals(before, after)) return;
        foreach (var candidate in candidates)
        {
            var group = KindNames.SplitApiVersion(candidate.ApiVersion).Group;
            if (before.For(group, candidate.Kind).Fingerprint == after.For(group, candidate.Kind).Fingerprint) continue;
            if (catalog.FindByKind(group, candidate.Kind) is not { } type || UidOf(candidate.Element) is null) continue;
            cache.Index.Upsert(cache.Reader.Read(candidate.Element, catalog.StorageOf(type), candidate.ListDefaults));
        }
    }

    /// <summary>The bundled sample cluster.</summary>
    public static IReadOnlyList<SnapshotFile> Demo()
    {
        var assembly = typeof(SnapshotLoader).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(DemoPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new SnapshotFile("demo:" + n[DemoPrefix.Length..], () => assembly.GetManifestResourceStream(n)!))
            .ToList();
    }

    /// <summary>Files as given, and every .yaml/.yml/.json file below each directory, in path order.</summary>
    public static IReadOnlyList<SnapshotFile> Expand(IEnumerable<string> paths)
    {
        List<SnapshotFile> files = [];
        List<string> problems = [];
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0) problems.Add($"{path}: the directory has no .yaml, .yml or .json files");
                files.AddRange(found.Select(SnapshotFile.FromPath));
            }
            else if (File.Exists(path))
            {
                files.Add(SnapshotFile.FromPath(path));
            }
            else
            {
                problems.Add($"{path}: no such file or directory");
            }
        }
        return problems.Count > 0 ? throw new SnapshotException(problems) : files;
    }

    // Each resource as one LIST: what the snapshot does not hold any more was deleted since the last one recorded.
    private static void Observe(IObjectObserver observer, List<ObjectRecord> records, List<JsonElement> elements)
    {
        foreach (var resource in records.Select((r, i) => (Record: r, Element: elements[i])).GroupBy(x => x.Record.Type))
        {
            if (!observer.Observes(resource.Key)) continue;
            // Copies, a page at a time: an item of the snapshot's document would keep the whole document alive
            // while it waits to be recorded. Loading is start-up, before anything is served: waiting here blocks no one.
            foreach (var page in resource.Chunk(PageSize))
            {
                observer.ListedAsync(resource.Key, page.Select(x => x.Element.Clone()).ToList(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            observer.ListCompleted(resource.Key, "snapshot", resource.Select(x => x.Record.Uid).ToHashSet(StringComparer.Ordinal));
        }
    }

    private const string OwnGroup = "kubediscovery.io";

    // What kube-apiserver serves per page when asked for 500, as the live source asks.
    private const int PageSize = 500;

    /// <returns>What was loaded, and what was passed over with a reason (for one warning each).</returns>
    /// <exception cref="SnapshotException">Any file, document or object is malformed.</exception>
    /// <param name="observer">Told of every object loaded, one LIST per resource (history records a snapshot this way).</param>
    public static SnapshotReport Load(IReadOnlyList<SnapshotFile> files, ClusterCache cache, IObjectObserver? observer = null)
    {
        List<string> problems = [];
        cache.Relations.Documents = RelationRulesText.Documents;
        var plansBefore = cache.Relations.Current.Plans;
        List<Candidate> candidates = [];
        foreach (var file in files)
        {
            foreach (var (document, location) in Parse(file, problems)) Flatten(document.Element, location, null, candidates, problems, readApart: document.Items);
        }

        // A dump of a cluster this server is installed in holds its answers too (kubectl get -A lists
        // compositions): they describe objects, they are none.
        var ours = candidates.RemoveAll(c => KindNames.SplitApiVersion(c.ApiVersion).Group == OwnGroup);
        var catalog = BuildCatalog(candidates, problems);
        // Before reading: references name kinds, and whether a custom kind is namespaced comes from here.
        var previousCatalog = cache.Catalog;
        cache.Catalog = catalog;
        plansBefore = cache.Relations.Current.Plans;
        List<ObjectRecord> records = [];
        List<JsonElement> elements = [];
        var withoutUid = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var candidate in candidates)
        {
            var type = catalog.FindByKind(KindNames.SplitApiVersion(candidate.ApiVersion).Group, candidate.Kind);
            if (type is null) continue; // already reported while building the catalog
            // Objects without a uid (ComponentStatus, in any real dump) can be in no tree: skip, and say so once.
            if (UidOf(candidate.Element) is not { } uid)
            {
                withoutUid[candidate.Kind] = withoutUid.GetValueOrDefault(candidate.Kind) + 1;
                continue;
            }
            // One storage served under two groups (ingresses.extensions and ingresses.networking.k8s.io)
            // appears twice in a dump: it is one object, indexed under the resource that is followed.
            if (!seen.Add(uid))
            {
                duplicates++;
                continue;
            }
            try
            {
                records.Add(cache.Reader.Read(candidate.Element, catalog.StorageOf(type), candidate.ListDefaults));
                elements.Add(candidate.Element);
            }
            catch (InvalidObjectException e)
            {
                problems.Add($"{candidate.Location} ({candidate.Kind}{NameOf(candidate.Element)}): {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            cache.Catalog = previousCatalog;
            throw new SnapshotException(problems);
        }
        foreach (var record in records) cache.Index.Upsert(record);
        // A dump's Warning Events name the causes of what is not ready, as a live cluster's do.
        foreach (var element in elements)
        {
            if (Graph.Events.WarningEvents.TryRead(element, out _, out var about, out var warning)) cache.Index.Warnings.Record(about, warning);
        }
        if (observer is not null) Observe(observer, records, elements);
        RereadForNewRules(cache, catalog, candidates, plansBefore);
        return new SnapshotReport(records.Count, withoutUid, duplicates, ours);
    }

    private static string? UidOf(JsonElement element) =>
        element.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
        && m.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String && u.GetString() is { Length: > 0 } uid
            ? uid
            : null;

    private sealed record Candidate(JsonElement Element, string Location, string ApiVersion, string Kind, (string, string)? ListDefaults);

    private static List<(ParsedDocument Document, string Location)> Parse(SnapshotFile file, List<string> problems)
    {
        List<(ParsedDocument, string)> parsed = [];
        try
        {
            // Bytes, not text: kubectl's JSON is UTF-8, and read as a string first a 108 MB list was 216 MB of
            // UTF-16 and then 108 MB again as bytes, all at once (the load peaked at 660 MiB for 121 kept).
            byte[] bytes;
            using (var stream = file.Open()) bytes = Utf8(ReadAll(stream));
            var utf8 = bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
            var content = utf8.TrimStart(" \t\r\n"u8);
            if (content.IsEmpty)
            {
                problems.Add($"{file.Name}: the file is empty; a snapshot file holds Kubernetes objects or lists");
                return parsed;
            }
            if (LooksLikeJson(file.Name, (char)content[0]))
            {
                parsed.Add((ParseDocument(utf8), file.Name));
                return parsed;
            }
            var text = Encoding.UTF8.GetString(utf8);

            var completed = 0; // the document that fails is the one after the last completed
            try
            {
                foreach (var doc in YamlToJson.Convert(new StringReader(text)))
                {
                    completed = doc.Number;
                    if (doc.Json is null) continue;
                    parsed.Add((ParseDocument(doc.Json), $"{file.Name}: document {doc.Number}"));
                }
            }
            catch (YamlException e)
            {
                problems.Add($"{file.Name}: document {completed + 1} (line {e.Start.Line}, column {e.Start.Column}): invalid YAML: {Describe(e)}");
                return parsed;
            }
            if (parsed.Count == 0) problems.Add($"{file.Name}: the file holds no YAML document; a snapshot file holds Kubernetes objects or lists");
        }
        catch (JsonException e)
        {
            problems.Add($"{file.Name} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): invalid JSON: {FirstSentence(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            problems.Add($"{file.Name}: cannot read: {e.Message}");
        }
        return parsed;
    }

    /// <summary>A document as read: one element, or a list's wrapper (every property but its items) and its items, each parsed alone.</summary>
    private readonly record struct ParsedDocument(JsonElement Element, List<JsonElement>? Items);

    /// <summary>
    /// A top-level object that turns out to be a <c>List</c> (kubectl writes <c>items</c> before <c>kind</c>) is
    /// read item by item: each its own small element, so a dump of 100 MB is never one document whose index of
    /// tokens alone is hundreds of MB in two arrays (measured: 134 and 268 MB at 40k objects, and the collector
    /// did not give them back). Anything else is parsed whole.
    /// </summary>
    private static ParsedDocument ParseDocument(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return new ParsedDocument(ParseOwned(utf8), null);
        List<JsonElement>? items = null;
        var wrapper = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(wrapper))
        {
            w.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isItems = reader.ValueTextEquals("items"u8);
                var name = reader.GetString()!;
                reader.Read();
                if (isItems && reader.TokenType == JsonTokenType.StartArray && items is null)
                {
                    items = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(JsonElement.ParseValue(ref reader));
                    continue;
                }
                w.WritePropertyName(name);
                w.WriteRawValue(JsonElement.ParseValue(ref reader).GetRawText(), skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        reader.Read(); // anything after the object is an error, as it is for a document parsed whole
        var element = ParseOwned(wrapper.WrittenSpan);
        // Not a list after all (an object with a field named items): the whole document is the object.
        return items is not null && TypeKind(element) is { } kind && kind.EndsWith("List", StringComparison.Ordinal)
            ? new ParsedDocument(element, items)
            : new ParsedDocument(ParseOwned(utf8), null);
    }

    private static string? TypeKind(JsonElement element) =>
        element.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;

    /// <summary>
    /// A document as an element that owns its memory, not a pooled <see cref="JsonDocument"/>: a snapshot's documents
    /// are large, and the shared pool kept the arrays a disposed document gave back for good (about 60 MiB after
    /// loading a 27 MiB list). These are garbage once the snapshot is loaded.
    /// </summary>
    private static JsonElement ParseOwned(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var element = JsonElement.ParseValue(ref reader);
        reader.Read(); // anything but whitespace and comments after the value is an error, as JsonDocument.Parse says
        return element;
    }

    private static bool LooksLikeJson(string name, char first)
    {
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) return false;
        return first is '{' or '[';
    }

    /// <summary>A file marked as UTF-16 or UTF-32 (0xFE or 0xFF first, never UTF-8), as UTF-8; anything else as it is.</summary>
    private static byte[] Utf8(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] is not (0xFE or 0xFF)) return bytes;
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Encoding.UTF8.GetBytes(reader.ReadToEnd());
    }

    /// <summary>The whole stream in one array of its exact size where its length is known (files, embedded resources).</summary>
    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek)
        {
            var bytes = new byte[stream.Length - stream.Position];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // Unwraps List and *List wrappers (and a top-level JSON array) into the objects they hold.
    /// <param name="readApart">A list's items when ParseDocument read them apart from <paramref name="element"/>, its wrapper.</param>
    private static void Flatten(JsonElement element, string location, (string, string)? listDefaults, List<Candidate> into, List<string> problems, int depth = 0,
        IReadOnlyList<JsonElement>? readApart = null)
    {
        if (element.ValueKind == JsonValueKind.Array && depth == 0)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray()) Flatten(item, $"{location}[{i++}]", null, into, problems, depth + 1);
            return;
        }

        string apiVersion, kind;
        try
        {
            (apiVersion, kind) = ObjectRecordReader.ReadTypeMeta(element, listDefaults);
        }
        catch (InvalidObjectException e)
        {
            problems.Add($"{location}: {e.Message}; every document must be a Kubernetes object or list");
            return;
        }

        IEnumerable<JsonElement>? listed = readApart;
        if (listed is null && kind.EndsWith("List", StringComparison.Ordinal) && element.TryGetProperty("items", out var items))
        {
            if (items.ValueKind == JsonValueKind.Null) return;
            if (items.ValueKind != JsonValueKind.Array || depth > 4)
            {
                problems.Add($"{location}: {kind}.items must be a list of objects");
                return;
            }
            listed = items.EnumerateArray();
        }
        if (listed is not null)
        {
            // A typed list (PodList) omits its items' apiVersion/kind: stamp them from the list.
            (string, string)? defaults = kind == "List" ? null : (apiVersion, kind[..^"List".Length]);
            var i = 0;
            foreach (var item in listed) Flatten(item, $"{location}, items[{i++}]", defaults, into, problems, depth + 1);
            return;
        }

        into.Add(new Candidate(element, location, apiVersion, kind, listDefaults));
    }

    private static ResourceCatalog BuildCatalog(List<Candidate> candidates, List<string> problems)
    {
        var catalog = new ResourceCatalog(BuiltinDiscovery.Types);

        List<ResourceType> custom = [];
        foreach (var c in candidates.Where(c => CustomResourceDefinitions.IsCustomResourceDefinition(c.ApiVersion, c.Kind)))
        {
            var type = CustomResourceDefinitions.ToResourceType(c.Element, out var error);
            if (type is null) problems.Add($"{c.Location} (CustomResourceDefinition{NameOf(c.Element)}): {error}");
            else custom.Add(type);
        }
        catalog = catalog.With(custom);

        // Kinds nobody described: guess their resource names the way kubectl does for unknown kinds.
        List<ResourceType> guessed = [];
        foreach (var c in candidates)
        {
            var (group, version) = KindNames.SplitApiVersion(c.ApiVersion);
            if (catalog.FindByKind(group, c.Kind) is not null || guessed.Any(g => g.Group == group && g.Kind == c.Kind)) continue;
            guessed.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Kind = c.Kind,
                Plural = KindNames.GuessPlural(c.Kind),
                Namespaced = HasNamespace(c.Element),
            });
        }
        return catalog.With(guessed);
    }

    private static bool HasNamespace(JsonElement element) =>
        element.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
        && m.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String && ns.GetString()!.Length > 0;

    private static string NameOf(JsonElement element)
    {
        if (!element.TryGetProperty("metadata", out var m) || m.ValueKind != JsonValueKind.Object) return "";
        var name = m.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var ns = m.TryGetProperty("namespace", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return name is null ? "" : ns is null ? $" {name}" : $" {ns}/{name}";
    }

    // YamlDotNet wraps the useful message (e.g. "did not find expected ',' or ']'") in inner exceptions.
    private static string Describe(YamlException e) =>
        e.InnerException is YamlException inner ? Describe(inner) : e.Message;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
