using KubeDiscovery.Graph;
using KubeDiscovery.Graph.Search;
using KubeDiscovery.Security;

namespace KubeDiscovery.Api.Search;

/// <summary>
/// <c>GET …/search?q=front[&amp;limit=20]</c>: objects whose <c>kind/namespace/name</c> holds the query,
/// best first (<see cref="NameSearch"/>), among those the user may <c>get</c> — a hidden object is not
/// found, and nothing says it exists. Authorized as <c>list</c> on <c>search</c>. The web view's finder.
/// </summary>
internal sealed class SearchEndpoints(ClusterCache cache, AccessControl security, TimeProvider time)
{
    public const string Resource = "search";
    private const int DefaultLimit = 20;
    private const int MaxLimit = 200;

    private readonly NameSearch _search = new(cache.Index, time);

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet($"{KubeDiscoveryApi.Prefix}/{Resource}", c => c.RequestServices.GetRequiredService<SearchEndpoints>().Answer(c));

    private async Task Answer(HttpContext context)
    {
        var query = context.Request.Query["q"].ToString().Trim();
        if (query.Length < 2)
        {
            await StatusErrors.BadRequest(context, "search needs q, two characters or more: a name or part of one, or kind/namespace/name (e.g. ?q=front or ?q=deployment/shop/)");
            return;
        }
        if (!QueryLimit.TryRead(context.Request.Query, DefaultLimit, MaxLimit, out var limit, out var limitError))
        {
            await StatusErrors.BadRequest(context, limitError);
            return;
        }
        if (!await Preconditions.AcceptableAndSyncedAsync(context, cache, "application/json")) return;

        // What the user may read first, then the cap and the best: a hidden object never takes a visible
        // one's place, nor counts towards the cap or its Warning.
        var user = context.GetKubernetesUser();
        Func<string, string, string, bool>? scopes = null;
        if (!security.Filter.SeesEverything(user))
        {
            var scopesMatched = new HashSet<(string Group, string Resource, string Namespace)>();
            _search.Visit(query, r => scopesMatched.Add((r.Type.Group, r.Type.Plural, r.Namespace ?? "")));
            scopes = await security.Filter.ScopesAsync(user, scopesMatched, context.RequestAborted);
        }
        var found = _search.Find(query, limit, scopes is null ? null : r => scopes(r.Type.Group, r.Type.Plural, r.Namespace ?? ""));
        var shown = found.Hits;
        if (found.TooBroad) context.Response.Headers.Append("Warning", $"299 - \"more than {NameSearch.MaxMatches} objects match \\\"{query}\\\": the best of the first ones found are listed; say more\"");
        var remaining = found.Matched - shown.Count;
        await JsonAnswers.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", KubeDiscoveryApi.GroupVersion);
            w.WriteString("kind", "SearchResult");
            w.WriteStartObject("metadata");
            // Cut by ?limit: how many more (readable) objects match, as a list's remainingItemCount says.
            if (remaining > 0) w.WriteNumber("remainingItemCount", remaining);
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var (record, rank) in shown)
            {
                w.WriteStartObject();
                w.WriteString("apiVersion", record.ApiVersion);
                w.WriteString("kind", record.Kind);
                w.WriteString("resource", record.Type.Plural);
                if (record.Namespace is { } ns) w.WriteString("namespace", ns);
                w.WriteString("name", record.Name);
                w.WriteString("uid", record.Uid);
                w.WriteString("match", rank switch
                {
                    MatchRank.ExactName => "name",
                    MatchRank.NamePrefix => "namePrefix",
                    MatchRank.NameSubstring => "nameSubstring",
                    _ => "kindOrNamespace",
                });
                w.WriteStartObject("status");
                w.WriteString("ready", record.Status.ReadyText);
                if (record.Status.Reason is { } reason) w.WriteString("reason", reason);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
