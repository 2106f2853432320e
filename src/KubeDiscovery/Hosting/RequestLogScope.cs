using System.Collections;
using KubeDiscovery.Security;

namespace KubeDiscovery.Hosting;

/// <summary>
/// The log scope of one request: its path and, once authenticated, its user. Read when a log line is
/// written (the scope begins before authentication has run), so every line logged while answering says
/// whose request it was; <c>--logging-format=json</c> writes it under <c>Scopes</c>.
/// </summary>
internal sealed class RequestLogScope(HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("verb", context.Request.Method),
        1 => new("path", context.Request.Path.Value),
        2 => new("user", context.FindKubernetesUser()?.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{context.Request.Method} {context.Request.Path} by {context.FindKubernetesUser()?.Name ?? "(not authenticated yet)"}";
}
