using System.Data.Common;
using System.Text.Json;
using KubeDiscovery.History.Recording;

namespace KubeDiscovery.History.Storage;

/// <summary>The columns of a stored version, written and read the same way by every store.</summary>
internal static class StoredColumns
{
    public const string Insert = "uid, resource_version, api_group, resource, namespace, name, change, observed_at, generation, managers, changed_paths, patch, snapshot, observed_late";

    public static object?[] Values(VersionRecord v) =>
    [
        v.Uid, v.ResourceVersion, v.Group, v.Resource, v.Namespace ?? "", v.Name, v.Change.ToString(), v.ObservedAt.ToUnixTimeMilliseconds(),
        v.Generation, JsonSerializer.Serialize(v.Managers, HistoryJson.Default.IReadOnlyListFieldManager),
        JsonSerializer.Serialize(v.ChangedPaths, HistoryJson.Default.IReadOnlyListString), v.Patch, v.Snapshot, v.ObservedLate,
    ];

    /// <summary>Reads a row selected as <see cref="Insert"/> followed by the version's number.</summary>
    public static StoredVersion Read(DbDataReader reader)
    {
        var ns = reader.GetString(4);
        return new StoredVersion(reader.GetInt64(14), new VersionRecord(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ns.Length == 0 ? null : ns, reader.GetString(5),
            Enum.Parse<ChangeKind>(reader.GetString(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            reader.IsDBNull(8) ? null : reader.GetInt64(8),
            JsonSerializer.Deserialize(reader.GetString(9), HistoryJson.Default.IReadOnlyListFieldManager) ?? [],
            JsonSerializer.Deserialize(reader.GetString(10), HistoryJson.Default.IReadOnlyListString) ?? [],
            reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetBoolean(13)));
    }
}
