using System.Text.Json;

namespace KubeDiscovery.Sources.Live;

/// <summary>One-line descriptions of what went wrong talking to kube-apiserver, for logs and health.</summary>
public static class KubernetesErrors
{
    public static string Describe(Exception e) => e switch
    {
        k8s.Autorest.HttpOperationException http => $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {FirstLine(http.Response.Content)}",
        _ => e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})",
    };

    private static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "no body";
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("message", out var message)) return message.GetString() ?? text;
        }
        catch (JsonException)
        {
        }
        var line = text.Split('\n')[0];
        return line.Length > 200 ? line[..200] : line;
    }
}
