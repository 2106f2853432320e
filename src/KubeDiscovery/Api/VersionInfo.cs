namespace KubeDiscovery.Api;

/// <summary><c>/version</c>, in kube-apiserver's field names.</summary>
internal sealed record VersionInfo(
    string Major, string Minor, string GitVersion, string GitCommit, string GitTreeState,
    string BuildDate, string GoVersion, string Compiler, string Platform);
