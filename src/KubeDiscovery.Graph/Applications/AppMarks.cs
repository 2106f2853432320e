namespace KubeDiscovery.Graph.Applications;

/// <summary>
/// The annotations a deployment tool writes on what it applied, as read at ingest from an object nothing
/// owns: Argo CD's tracking id (its application, and the namespace it names when the Application lives
/// outside Argo CD's own), Helm's release name and namespace. Shared between objects of one release.
/// </summary>
public sealed record AppMarks(string? ArgoApp, string? ArgoNamespace, string? HelmRelease, string? HelmNamespace)
{
    /// <summary>
    /// The marks of one object's annotations; null when it has none. <paramref name="trackingId"/> is
    /// <c>&lt;app&gt;:&lt;group&gt;/&lt;Kind&gt;:&lt;namespace&gt;/&lt;name&gt;</c>, where Argo CD writes the app as
    /// <c>&lt;namespace&gt;_&lt;name&gt;</c> for Applications outside its control-plane namespace.
    /// </summary>
    public static AppMarks? From(string? trackingId, string? helmName, string? helmNamespace)
    {
        string? argoApp = null, argoNamespace = null;
        if (!string.IsNullOrEmpty(trackingId))
        {
            var colon = trackingId.IndexOf(':', StringComparison.Ordinal);
            var app = colon > 0 ? trackingId[..colon] : null;
            if (app is not null)
            {
                var underscore = app.IndexOf('_', StringComparison.Ordinal);
                (argoNamespace, argoApp) = underscore > 0 && underscore < app.Length - 1 ? (app[..underscore], app[(underscore + 1)..]) : (null, app);
            }
        }
        if (string.IsNullOrEmpty(helmName)) helmName = null;
        if (string.IsNullOrEmpty(helmNamespace)) helmNamespace = null;
        return argoApp is null && helmName is null ? null : new AppMarks(argoApp, argoNamespace, helmName, helmNamespace);
    }
}
