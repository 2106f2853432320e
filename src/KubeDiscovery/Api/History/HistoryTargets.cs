using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Model;
using KubeDiscovery.History.Storage;
using KubeDiscovery.Hosting;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.History;

/// <summary>The object a per-object history request is about: which incarnation (uid), and whether it still exists.</summary>
internal sealed record HistoryObject(ResourceType Type, string? Namespace, string Name, string Uid, IReadOnlyList<Incarnation> Incarnations, ObjectRecord? Live)
{
    public string Group => Type.Storage.Group;

    public string Resource => Type.Storage.Resource;

    public bool Deleted => Incarnations.FirstOrDefault(i => i.Uid == Uid)?.Deleted ?? false;

    public string DisplayName => $"{Type.Plural}/{Name}";
}

/// <summary>
/// Resolves <c>…/{resource}/{name}/{versions|spechistory|diff|bisect|changes}</c> with the path forms, name
/// rules and errors of compositions. The object is looked up in history, not only in the index, so a deleted
/// object stays answerable by name (its newest uid; <c>?uid=</c> picks an earlier incarnation). A user who
/// may not <c>get</c> such objects is told it does not exist, as for trees.
/// </summary>
internal sealed class HistoryTargets(ClusterCache cache, AccessControl security, HistoryService? history = null)
{
    /// <summary>The history service, or a 404 written saying history is off.</summary>
    public async Task<HistoryService?> EnabledAsync(HttpContext context)
    {
        if (history is not null) return history;
        await StatusErrors.Write(context, new KubeStatus
        {
            Code = 404,
            Reason = "NotFound",
            Message = "this server records no history: start it with --history-db FILE (or a PostgreSQL connection string)",
        });
        return null;
    }

    /// <returns>Null when an answer (an error) has been written.</returns>
    public async Task<HistoryObject?> ResolveAsync(HttpContext context, HistoryService enabled, string? ns, string resource, string name, string subresource)
    {
        if (await Preconditions.ResolveAsync(context, cache, resource, "application/json") is not { } type) return null;
        if (await Preconditions.WrongScopeAsync(context, type, ns, name, subresource)) return null;
        if (name == "*")
        {
            await StatusErrors.BadRequest(context, $"{subresource} is kept per object: name one (for many objects, ask …/changes?since=1h of a namespace or of the cluster)");
            return null;
        }
        var scope = (type.Storage.Group, type.Storage.Resource, ns ?? "");
        var visible = await security.Filter.ScopesAsync(context.GetKubernetesUser(), [scope], context.RequestAborted);
        var incarnations = visible is null || visible(scope.Group, scope.Resource, scope.Item3)
            ? await enabled.Store.IncarnationsAsync(type.Storage.Group, type.Storage.Resource, ns, name, context.RequestAborted)
            : [];
        var live = cache.Index.Find(type.Storage, ns, name);
        var asked = context.Request.Query["uid"].ToString();
        var chosen = asked.Length > 0 ? incarnations.FirstOrDefault(i => i.Uid == asked)
            : incarnations.FirstOrDefault(i => i.Uid == live?.Uid) ?? incarnations.FirstOrDefault();
        if (chosen is null)
        {
            await StatusErrors.Write(context, new KubeStatus
            {
                Code = 404,
                Reason = "NotFound",
                Message = asked.Length > 0
                    ? $"no history of {type.GroupResource} \"{name}\" with uid {asked}"
                    : $"no history of {type.GroupResource} \"{name}\"",
                Details = new StatusDetails { Name = name, Group = type.Group, Kind = type.Plural },
            });
            return null;
        }
        return new HistoryObject(type, ns, name, chosen.Uid, incarnations, live?.Uid == chosen.Uid ? live : null);
    }
}
