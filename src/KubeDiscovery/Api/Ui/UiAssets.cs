using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace KubeDiscovery.Api.Ui;

/// <summary>
/// The web view's files (built from <c>web/</c> by esbuild into <c>Ui/assets</c> and embedded in this
/// assembly), read once at start: each with its content type, a strong ETag from its SHA-256, and a gzip
/// copy when that is smaller — the bundle is mostly Cytoscape.js and dagre, and gzip makes the first
/// visit a third as long through a proxy.
/// </summary>
internal sealed class UiAssets
{
    public const string ResourcePrefix = "ui/";
    public const string IndexFile = "index.html";

    private readonly FrozenDictionary<string, UiAsset> _files;

    public UiAssets()
    {
        var assembly = typeof(UiAssets).Assembly;
        var files = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[ResourcePrefix.Length..];
            files[name] = UiAsset.Create(name, buffer.ToArray());
        }
        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int Count => _files.Count;

    public UiAsset? Find(string name) => _files.GetValueOrDefault(name);
}

/// <param name="Immutable">Named by a hash of its content (esbuild's <c>[name]-[hash]</c>): cacheable for a year. Only index.html is not.</param>
/// <param name="GzippedETag">The gzip copy's own tag: two representations, two tags.</param>
internal sealed record UiAsset(string Name, string ContentType, byte[] Content, byte[]? Gzipped, string ETag, string GzippedETag, bool Immutable)
{
    public static UiAsset Create(string name, byte[] content)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(content), Base64FormattingOptions.None)
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".json" => "application/json",
            _ => "application/octet-stream",
        };
        return new UiAsset(name, type, content, Compress(content), $"\"{hash[..22]}\"", $"\"{hash[..22]}-gzip\"", name != UiAssets.IndexFile);
    }

    private static byte[]? Compress(byte[] content)
    {
        if (content.Length < 1024) return null;
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return output.Length < content.Length * 9 / 10 ? output.ToArray() : null;
    }
}
