using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeDiscovery.TestDoubles;

/// <summary>
/// The fake server's etcd: objects of every registered resource, one global resourceVersion counter,
/// and the event history watches resume from. <see cref="Compact"/> forgets history the way etcd
/// compaction does, so older resourceVersions answer 410. Creating a CustomResourceDefinition
/// registers its resource; deleting it removes the resource and its objects.
/// </summary>
/// <param name="time">The store's clock (creation timestamps); the server that serves it uses the same one.</param>
public sealed class FakeStore(TimeProvider? time = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeResource> _resources = new(StringComparer.Ordinal);
    // resource key → "namespace/name" → object; sorted like etcd keys, which is list order.
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _objects = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _events = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _resourceVersion = 100;
    private long _compactedAt;
    private long _uidCounter;

    /// <summary>The one clock of the store and of the server serving it.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>The current resourceVersion of the whole store.</summary>
    public long ResourceVersion
    {
        get { lock (_lock) return _resourceVersion; }
    }

    /// <summary>Events at or below this resourceVersion are forgotten.</summary>
    public long CompactedAt
    {
        get { lock (_lock) return _compactedAt; }
    }

    /// <summary>Raised (outside the lock) whenever the set of resources changes.</summary>
    public event Action? ResourcesChanged;

    public IReadOnlyList<FakeResource> Resources
    {
        get { lock (_lock) return _resources.Values.ToList(); }
    }

    public void Register(FakeResource resource)
    {
        lock (_lock)
        {
            // As kube-apiserver does, a resource with another's kind and storageVersionHash serves its storage.
            var storage = resource.StorageVersionHash.Length == 0 ? null
                : _resources.Values.FirstOrDefault(r => r.StoredIn is null && r.Key != resource.Key && r.Kind == resource.Kind && r.StorageVersionHash == resource.StorageVersionHash);
            if (storage is not null) resource = resource with { StoredIn = storage.Key };
            _resources[resource.Key] = resource;
            _objects.TryAdd(resource.StorageKey, new(StringComparer.Ordinal));
        }
        ResourcesChanged?.Invoke();
    }

    public FakeResource? FindResource(string group, string plural)
    {
        lock (_lock) return _resources.GetValueOrDefault($"{group}/{plural}");
    }

    public FakeResource? FindResourceByKind(string group, string kind)
    {
        lock (_lock) return ResourceByKindLocked(group, kind);
    }

    private FakeResource? ResourceByKindLocked(string group, string kind) =>
        _resources.Values.FirstOrDefault(r => r.Group == group && r.Kind == kind);

    /// <summary>Creates the object, or replaces the one with the same name (keeping its UID unless one is given).</summary>
    public JsonObject Apply(JsonObject obj) => Write(obj, recordEvent: true);

    /// <summary>Parses <paramref name="json"/> and applies it.</summary>
    public JsonObject Apply(string json) => Apply(JsonNode.Parse(json)!.AsObject());

    /// <summary>Adds objects without recording events, as if they predate every watch (for seeding big stores).</summary>
    public void Seed(IEnumerable<JsonObject> objects)
    {
        foreach (var obj in objects) Write(obj, recordEvent: false);
        lock (_lock) _compactedAt = _resourceVersion;
    }

    /// <summary>A copy of a stored object, whole (spec and status too); null when there is none.</summary>
    public JsonObject? Get(string group, string kind, string? @namespace, string name)
    {
        lock (_lock)
        {
            var resource = ResourceByKindLocked(group, kind)
                ?? throw new ArgumentException($"no resource for kind {kind} in group \"{group}\"");
            return _objects[resource.StorageKey].TryGetValue(Key(resource, @namespace, name), out var stored) ? stored.Parse() : null;
        }
    }

    /// <summary>Deletes an object; false when there was none.</summary>
    public bool Delete(string group, string kind, string? @namespace, string name)
    {
        FakeResource? removedResource = null;
        lock (_lock)
        {
            var resource = ResourceByKindLocked(group, kind)
                ?? throw new ArgumentException($"no resource for kind {kind} in group \"{group}\"");
            if (!_objects[resource.StorageKey].Remove(Key(resource, @namespace, name), out var stored)) return false;
            var deleted = Stamp(stored.Parse(), ++_resourceVersion);
            Record(resource, "DELETED", new StoredObject(stored.Key, deleted, true));
            if (IsCrd(resource)) removedResource = UnregisterCrdLocked(stored.Parse());
            Signal();
        }
        if (removedResource is not null) ResourcesChanged?.Invoke();
        return true;
    }

    /// <summary>Forgets all history up to now: watches and continue tokens from before answer 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedAt = _resourceVersion;
            _events.Clear();
            Signal();
        }
    }

    /// <summary>Computes every object's list and metadata-only forms now, so serving them later allocates nothing new.</summary>
    public void PrepareWireForms()
    {
        lock (_lock)
        {
            foreach (var stored in _objects.Values.SelectMany(o => o.Values))
            {
                _ = stored.Item;
                _ = stored.MetadataOnly;
            }
        }
    }

    /// <summary>Every object's apiVersion, kind and metadata.</summary>
    public IReadOnlyList<(FakeResource Resource, JsonObject Object)> Snapshot()
    {
        lock (_lock)
        {
            return _objects.SelectMany(pair => pair.Value.Values.Select(o => (_resources[pair.Key], o.Node))).ToList();
        }
    }

    public int Count
    {
        get { lock (_lock) return _objects.Values.Sum(o => o.Count); }
    }

    internal Task Changed
    {
        get { lock (_lock) return _changed.Task; }
    }

    /// <summary>Objects of one resource (one namespace, or all when null) after <paramref name="afterKey"/>, in key order.</summary>
    internal (List<StoredObject> Items, long ResourceVersion, string? NextKey) List(FakeResource resource, string? @namespace, string? afterKey, int limit)
    {
        lock (_lock)
        {
            List<StoredObject> items = [];
            string? next = null;
            if (_objects.TryGetValue(resource.StorageKey, out var all))
            {
                foreach (var (key, value) in all)
                {
                    if (afterKey is not null && string.CompareOrdinal(key, afterKey) <= 0) continue;
                    if (@namespace is not null && !key.StartsWith(@namespace + "/", StringComparison.Ordinal)) continue;
                    if (limit > 0 && items.Count == limit)
                    {
                        next = items[^1].Key;
                        break;
                    }
                    items.Add(value);
                }
            }
            return (items, _resourceVersion, next);
        }
    }

    /// <summary>
    /// Events for one resource after <paramref name="since"/>; null when that history was compacted away.
    /// Also returns the store's resourceVersion at the time, for bookmarks.
    /// </summary>
    internal (List<StoredEvent>? Events, long ResourceVersion) EventsSince(FakeResource resource, string? @namespace, long since)
    {
        lock (_lock)
        {
            if (since < _compactedAt) return (null, _resourceVersion);
            List<StoredEvent> found = [];
            // Events are in resourceVersion order: find the first one after `since`.
            int lo = 0, hi = _events.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (_events[mid].ResourceVersion <= since) lo = mid + 1; else hi = mid;
            }
            for (var i = lo; i < _events.Count; i++)
            {
                var e = _events[i];
                if (e.ResourceKey != resource.StorageKey) continue;
                if (@namespace is not null && e.Namespace != @namespace) continue;
                found.Add(e);
            }
            return (found, _resourceVersion);
        }
    }

    private JsonObject Write(JsonObject input, bool recordEvent)
    {
        var obj = input.DeepClone().AsObject();
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("apiVersion is required");
        var kind = obj["kind"]?.GetValue<string>() ?? throw new ArgumentException("kind is required");
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        var metadata = obj["metadata"] as JsonObject ?? throw new ArgumentException("metadata is required");
        var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("metadata.name is required");

        FakeResource? addedResource;
        lock (_lock)
        {
            var resource = ResourceByKindLocked(group, kind)
                ?? throw new ArgumentException($"the server could not find the requested resource for {kind} in group \"{group}\"");
            var ns = metadata["namespace"]?.GetValue<string>();
            if (resource.Namespaced && string.IsNullOrEmpty(ns)) throw new ArgumentException($"{kind} {name}: namespace is required");
            if (!resource.Namespaced) metadata.Remove("namespace");

            var key = Key(resource, resource.Namespaced ? ns : null, name);
            var objects = _objects[resource.StorageKey];
            var existing = objects.GetValueOrDefault(key);
            // kube-apiserver computes componentstatuses on each read: they have no uid (nor resourceVersion).
            if (metadata["uid"] is null && kind != "ComponentStatus")
            {
                metadata["uid"] = existing?.Node["metadata"]?["uid"]?.GetValue<string>()
                    ?? $"00000000-0000-4000-8000-{Interlocked.Increment(ref _uidCounter):x12}";
            }
            metadata["creationTimestamp"] ??= existing?.Node["metadata"]?["creationTimestamp"]?.DeepClone()
                ?? Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

            Stamp(obj, ++_resourceVersion);
            var stored = new StoredObject(key, obj, resource.IsCustom);
            objects[key] = stored;
            if (recordEvent) Record(resource, existing is null ? "ADDED" : "MODIFIED", stored);
            addedResource = IsCrd(resource) ? RegisterCrdLocked(obj) : null;
            Signal();
        }
        if (addedResource is not null) ResourcesChanged?.Invoke();
        return obj;
    }

    private void Record(FakeResource resource, string type, StoredObject stored)
    {
        var metadata = stored.Node["metadata"]!;
        var rv = long.Parse(metadata["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        _events.Add(new StoredEvent(rv, resource.StorageKey, metadata["namespace"]?.GetValue<string>(), type, stored));
    }

    private static JsonObject Stamp(JsonObject obj, long rv)
    {
        obj["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    private static string Key(FakeResource resource, string? @namespace, string name) =>
        resource.Namespaced ? $"{@namespace}/{name}" : $"/{name}";

    private static bool IsCrd(FakeResource resource) =>
        resource.Group == "apiextensions.k8s.io" && resource.Plural == "customresourcedefinitions";

    // What kube-apiserver's apiextensions controller does once a CRD is established.
    private FakeResource RegisterCrdLocked(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        var versions = (spec["versions"]?.AsArray() ?? [])
            .Where(v => v?["served"]?.GetValue<bool>() ?? true)
            .Select(v => v!["name"]!.GetValue<string>())
            .ToList();
        var resource = new FakeResource
        {
            Group = spec["group"]!.GetValue<string>(),
            Versions = versions,
            Plural = names["plural"]!.GetValue<string>(),
            Singular = names["singular"]?.GetValue<string>() ?? "",
            Kind = names["kind"]!.GetValue<string>(),
            ShortNames = names["shortNames"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [],
            Namespaced = spec["scope"]?.GetValue<string>() != "Cluster",
            Verbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
            IsCustom = true,
        };
        _resources[resource.Key] = resource;
        _objects.TryAdd(resource.Key, new(StringComparer.Ordinal));
        return resource;
    }

    private FakeResource? UnregisterCrdLocked(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var key = $"{spec["group"]!.GetValue<string>()}/{spec["names"]!["plural"]!.GetValue<string>()}";
        if (!_resources.Remove(key, out var resource)) return null;
        if (_objects.Remove(key, out var objects))
        {
            foreach (var stored in objects.Values)
            {
                Record(resource, "DELETED", new StoredObject(stored.Key, Stamp(stored.Parse(), ++_resourceVersion), true));
            }
        }
        return resource;
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// One stored object: its wire forms serialized once, and only its type meta and metadata kept as a
/// tree (a store of 100,000 full object trees would weigh gigabytes).
/// </summary>
internal sealed class StoredObject
{
    private readonly bool _itemsCarryTypeMeta;
    private byte[]? _item;
    private byte[]? _metadataOnly;

    public StoredObject(string key, JsonObject node, bool itemsCarryTypeMeta)
    {
        Key = key;
        Json = JsonSerializer.SerializeToUtf8Bytes(node);
        _itemsCarryTypeMeta = itemsCarryTypeMeta;
        Node = new JsonObject
        {
            ["apiVersion"] = node["apiVersion"]?.DeepClone(),
            ["kind"] = node["kind"]?.DeepClone(),
            ["metadata"] = node["metadata"]?.DeepClone(),
        };
    }

    public string Key { get; }

    /// <summary>apiVersion, kind and metadata.</summary>
    public JsonObject Node { get; }

    /// <summary>The object as a watch event carries it.</summary>
    public byte[] Json { get; }

    /// <summary>
    /// The object as a list item. Built-in kinds' items come without apiVersion and kind, as the
    /// recordings show; custom resources keep them.
    /// </summary>
    public byte[] Item => _item ??= _itemsCarryTypeMeta ? Json : Strip(Json);

    /// <summary>The object as PartialObjectMetadata.</summary>
    public byte[] MetadataOnly => _metadataOnly ??= JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = Node["metadata"]!.DeepClone(),
    });

    /// <summary>The whole object as a tree again.</summary>
    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    private static byte[] Strip(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("apiVersion");
        node.Remove("kind");
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}

internal sealed record StoredEvent(long ResourceVersion, string ResourceKey, string? Namespace, string Type, StoredObject Object);
