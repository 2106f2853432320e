using static KubeDiscovery.Rendering.CompositionTableWriter;

namespace KubeDiscovery.Api;

/// <summary><c>?includeObject=</c> of a Table request: what each row carries besides its cells, as kube-apiserver reads it.</summary>
internal static class IncludeObjectQuery
{
    public static bool TryRead(IQueryCollection query, out IncludeObject include, out string error)
    {
        error = "";
        var text = query["includeObject"].ToString();
        (include, var ok) = text switch
        {
            "" or "Metadata" => (IncludeObject.Metadata, true),
            "None" => (IncludeObject.None, true),
            "Object" => (IncludeObject.Object, true),
            _ => (IncludeObject.Metadata, false),
        };
        if (!ok) error = $"includeObject must be one of Metadata, None or Object, not \"{text}\"";
        return ok;
    }
}
