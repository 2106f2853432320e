namespace KubeDiscovery.Api;

/// <summary>The API group and version this server provides.</summary>
internal static class KubeDiscoveryApi
{
    public const string Name = "kubediscovery.io";
    public const string Version = "v1";
    public const string GroupVersion = Name + "/" + Version;
    public const string Prefix = "/apis/" + GroupVersion;
    public const string CompositionsSubresource = "compositions";
}
