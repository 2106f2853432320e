using System.Text.Json;
using KubeDiscovery.Security.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authentication;

public sealed class AuthenticationConfigMapTests
{
    private static Dictionary<string, string> Recorded()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "kube-apiserver-1.19", "objects", "extension-apiserver-authentication.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [Fact]
    public void RecordedConfigMap_YieldsBothCas_AndTheFrontProxySettings()
    {
        var data = Recorded();
        AuthenticationConfigMap.ReadClientCa(data, new FakeTimeProvider())!.Count.ShouldBe(1);
        var requestHeader = AuthenticationConfigMap.ReadRequestHeader(data, new FakeTimeProvider())!;
        requestHeader.Authority.Count.ShouldBe(1);
        requestHeader.AllowedNames.ShouldBe(["front-proxy-client"]);
        requestHeader.UsernameHeaders.ShouldBe(["X-Remote-User"]);
        requestHeader.GroupHeaders.ShouldBe(["X-Remote-Group"]);
        requestHeader.ExtraHeaderPrefixes.ShouldBe(["X-Remote-Extra-"]);
        requestHeader.UidHeaders.ShouldBeEmpty(); // 1.19 does not write the key
    }

    [Fact]
    public void NullLists_ReadAsEmpty()
    {
        var data = Recorded();
        data["requestheader-allowed-names"] = "null";
        AuthenticationConfigMap.ReadRequestHeader(data, new FakeTimeProvider())!.AllowedNames.ShouldBeEmpty();
    }

    [Fact]
    public void WithoutRequestHeaderCa_ThereIsNoFrontProxy()
    {
        var data = Recorded();
        data.Remove("requestheader-client-ca-file");
        AuthenticationConfigMap.ReadRequestHeader(data, new FakeTimeProvider()).ShouldBeNull();
    }

    [Fact]
    public void MalformedValues_AreFormatErrors()
    {
        var data = Recorded();
        data["requestheader-allowed-names"] = "front-proxy-client";
        Should.Throw<FormatException>(() => AuthenticationConfigMap.ReadRequestHeader(data, new FakeTimeProvider()));
        data = Recorded();
        data["client-ca-file"] = "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n";
        Should.Throw<FormatException>(() => AuthenticationConfigMap.ReadClientCa(data, new FakeTimeProvider()));
    }
}
