using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using KubeDiscovery.Graph;

namespace KubeDiscovery.Api;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c>, <c>/readyz</c> (text <c>ok</c>, <c>?verbose</c> lists the checks, as
/// kube-apiserver's do) and <c>/version</c>. Readiness waits for the first full sync; liveness does not.
/// </summary>
internal sealed class HealthEndpoints(ClusterCache cache, Hosting.ShutdownGate shutdown)
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", context => Get(context).Check(context, "healthz", includeSync: false));
        routes.MapGet("/livez", context => Get(context).Check(context, "livez", includeSync: false));
        routes.MapGet("/readyz", context => Get(context).Check(context, "readyz", includeSync: true));
        routes.MapGet("/version", WriteVersion);
    }

    private static HealthEndpoints Get(HttpContext context) =>
        context.RequestServices.GetRequiredService<HealthEndpoints>();

    private Task Check(HttpContext context, string name, bool includeSync)
    {
        // Each check with what it says when it fails (in ?verbose only).
        List<(string Check, bool Ok, string Why)> checks = [("ping", true, "")];
        if (includeSync)
        {
            checks.Add(("informer-sync", cache.HasSynced, "the index has not synced yet"));
            // kube-apiserver's name for it: ready no more once told to stop, while requests are still answered.
            checks.Add(("shutdown", !shutdown.Draining, "the server is stopping"));
        }
        var healthy = checks.All(c => c.Ok);

        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        // Not-ready is 503 so load balancers and kubelet stop routing, while the process stays live.
        response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;

        if (!context.Request.Query.ContainsKey("verbose"))
        {
            var failed = string.Concat(checks.Where(c => !c.Ok).Select(c => $"[-]{c.Check} failed: reason withheld\n"));
            return response.WriteAsync(healthy ? "ok" : $"{failed}{name} check failed\n");
        }
        var lines = checks.Select(c => c.Ok ? $"[+]{c.Check} ok" : $"[-]{c.Check} failed: {c.Why}").ToList();
        if (includeSync)
        {
            // After the first sync a failing watch does not fail readiness — its last good data is still the
            // best answer there is, and failing would take the whole APIService down — but it shows here.
            lines.AddRange(cache.Health.Checks.Select(c => c.Healthy
                ? $"[+]{c.Name} ok"
                : $"[-]{c.Name} failed: {c.Detail} (not counted against readiness)"));
            // Refused relation rules never fail readiness: the rest of the rules, and every built-in relation, still answer.
            var rules = cache.Relations.Current;
            lines.Add(rules.Errors.Count == 0
                ? $"[+]relation-rules ok ({rules.RuleCount} custom)"
                : $"[-]relation-rules failed: {rules.Errors.Count} refused (not counted against readiness): {string.Join("; ", rules.Errors)}");
        }
        return response.WriteAsync(string.Join('\n', lines) + $"\n{name} check {(healthy ? "passed" : "failed")}\n");
    }

    private static async Task WriteVersion(HttpContext context)
    {
        var version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+');
        var (semver, commit) = plus < 0 ? (version, "") : (version[..plus], version[(plus + 1)..]);
        var parts = semver.Split('.');
        var info = new VersionInfo(
            Major: parts[0],
            Minor: parts.Length > 1 ? parts[1] : "0",
            GitVersion: "v" + semver,
            GitCommit: commit,
            GitTreeState: "",
            BuildDate: "",
            GoVersion: RuntimeInformation.FrameworkDescription,
            Compiler: "dotnet",
            Platform: $"{(OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription)}/{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}");
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, info, ApiJsonContext.Relaxed.VersionInfo, context.RequestAborted);
    }
}
