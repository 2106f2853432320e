using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace KubeDiscovery.Sources.Live;

/// <summary>
/// Finds the cluster to follow the way kubectl does — <c>--kubeconfig</c>, else <c>$KUBECONFIG</c>
/// (a path list, merged), else <c>~/.kube/config</c>, else the in-cluster service account — and fails
/// with every place it looked. KubernetesClient's own <c>BuildDefaultConfig</c> is not used: it falls
/// back to http://localhost:8080 without a word.
/// </summary>
public static class ClusterConnection
{
    public static (KubernetesClientConfiguration Config, string Description) Resolve(
        string? kubeconfig, string? context, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        List<string> tried = [];

        if (!string.IsNullOrEmpty(kubeconfig))
        {
            if (!File.Exists(kubeconfig)) throw new ClusterAccessException($"--kubeconfig {kubeconfig}: no such file");
            return FromFiles([kubeconfig], context, $"--kubeconfig {kubeconfig}");
        }
        tried.Add("--kubeconfig (not given)");

        var fromEnvironment = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var paths = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            var existing = paths.Where(File.Exists).ToArray();
            if (existing.Length > 0) return FromFiles(existing, context, $"$KUBECONFIG {string.Join(Path.PathSeparator, existing)}");
            tried.Add($"$KUBECONFIG ({fromEnvironment}: no such file)");
        }
        else
        {
            tried.Add("$KUBECONFIG (not set)");
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        if (File.Exists(defaultPath)) return FromFiles([defaultPath], context, defaultPath);
        tried.Add($"{defaultPath} (no such file)");

        if (!string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && KubernetesClientConfiguration.IsInCluster())
        {
            if (!string.IsNullOrEmpty(context)) throw new ClusterAccessException($"--context {context}: the in-cluster configuration has no contexts");
            try
            {
                var config = KubernetesClientConfiguration.InClusterConfig();
                return (config, $"in-cluster service account ({config.Host})");
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                throw new ClusterAccessException($"in-cluster service account: {e.Message}", e);
            }
        }
        tried.Add("in-cluster service account (KUBERNETES_SERVICE_HOST or its token is missing)");

        throw new ClusterAccessException(
            $"no cluster configuration found; tried {string.Join(", ", tried)}. " +
            "Pass --kubeconfig, or --demo / --snapshot to serve a snapshot instead");
    }

    // kubectl's merge rule for a $KUBECONFIG list: the first file to set a value, or to name an entry, wins.
    // (The package's own FileInfo[] overload is not public.)
    private static K8SConfiguration Merge(List<K8SConfiguration> configs)
    {
        if (configs.Count == 1) return configs[0];
        var merged = configs[0];
        merged.CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList();
        merged.Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList();
        merged.Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(c => c.Name).ToList();
        return merged;
    }

    private static (KubernetesClientConfiguration, string) FromFiles(string[] paths, string? context, string source)
    {
        try
        {
            var merged = Merge(paths.Select(p => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(p), useRelativePaths: true)).ToList());
            var contextName = string.IsNullOrEmpty(context) ? merged.CurrentContext : context;
            if (string.IsNullOrEmpty(contextName))
            {
                throw new ClusterAccessException($"{source}: no current-context is set; pass --context");
            }
            var known = merged.Contexts?.Select(c => c.Name).ToList() ?? [];
            if (!known.Contains(contextName))
            {
                var which = string.IsNullOrEmpty(context) ? "current-context" : "--context";
                throw new ClusterAccessException(
                    $"{source}: {which} \"{contextName}\" does not exist (contexts: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
            }
            var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, contextName);
            if (string.IsNullOrEmpty(config.Host)) throw new ClusterAccessException($"{source}: context \"{contextName}\" names no server");
            return (config, $"{source} (context {contextName}, server {config.Host})");
        }
        catch (Exception e) when (e is KubeConfigException or YamlDotNet.Core.YamlException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ClusterAccessException($"{source}: {e.Message}", e);
        }
    }
}
