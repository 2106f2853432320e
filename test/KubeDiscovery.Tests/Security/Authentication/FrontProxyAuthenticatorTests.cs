using System.Security.Cryptography.X509Certificates;
using KubeDiscovery.Security.Authentication;
using KubeDiscovery.TestDoubles;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace KubeDiscovery.Tests.Security.Authentication;

public sealed class FrontProxyAuthenticatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly TestPki _pki;
    private readonly X509Certificate2 FrontProxyCa;
    private readonly X509Certificate2 ProxyCert;

    public FrontProxyAuthenticatorTests()
    {
        _pki = new TestPki(_time);
        FrontProxyCa = _pki.CreateCa("front-proxy-ca");
        ProxyCert = _pki.Issue(FrontProxyCa, "front-proxy-client");
    }

    private RequestHeaderConfig Config(params string[] allowedNames) => new(
        new CertificateAuthority([FrontProxyCa], _time),
        allowedNames,
        UsernameHeaders: ["X-Remote-User", "X-Other-User"],
        GroupHeaders: ["X-Remote-Group"],
        ExtraHeaderPrefixes: ["X-Remote-Extra-"],
        UidHeaders: ["X-Remote-Uid"]);

    private static HeaderDictionary Headers(params (string Name, string[] Values)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, values) in headers) dictionary[name] = new StringValues(values);
        return dictionary;
    }

    [Fact]
    public void VerifiedProxy_NamesTheUser_GroupsExtraAndUid_WithKubernetesHeaderSemantics()
    {
        var headers = Headers(
            ("X-Remote-User", [""]),
            ("X-Other-User", ["alice", "mallory"]),
            ("X-Remote-Group", ["dev,ops", "", "admins"]),
            ("X-Remote-Extra-Authentication.kubernetes.io%2fpod-name", ["web-0"]),
            ("X-Remote-Extra-Scopes", ["a", "b"]),
            ("X-Remote-Uid", ["uid-1"]));

        var result = FrontProxyAuthenticator.Authenticate(Config("front-proxy-client"), headers, ProxyCert, null);

        result.Error.ShouldBeNull();
        var user = result.User!;
        user.Name.ShouldBe("alice"); // first header whose first value is not empty
        user.Groups.ShouldBe(["dev,ops", "admins"]); // every value, never split on commas
        user.Extra.Keys.OrderBy(k => k).ShouldBe(["authentication.kubernetes.io/pod-name", "scopes"]);
        user.Extra["scopes"].ShouldBe(["a", "b"]);
        user.Uid.ShouldBe("uid-1");
    }

    [Fact]
    public void CommonNameNotAllowed_IsAnError() =>
        FrontProxyAuthenticator.Authenticate(Config("someone-else"), Headers(("X-Remote-User", ["alice"])), ProxyCert, null)
            .Error.ShouldBe("x509: subject with cn=front-proxy-client is not in the allowed list");

    [Fact]
    public void EmptyAllowedNames_AcceptAnyVerifiedCertificate() =>
        FrontProxyAuthenticator.Authenticate(Config(), Headers(("X-Remote-User", ["alice"])), _pki.Issue(FrontProxyCa, "anything"), null)
            .User!.Name.ShouldBe("alice");

    [Fact]
    public void CertificateFromAnotherCa_IsAnError_AndNamesNoUser()
    {
        var result = FrontProxyAuthenticator.Authenticate(Config(), Headers(("X-Remote-User", ["alice"])), _pki.Issue(_pki.CreateCa("evil"), "front-proxy-client"), null);
        result.User.ShouldBeNull();
        result.Error!.ShouldContain("unknown authority");
    }

    [Fact]
    public void NoCertificate_HasNoOpinion_WhateverTheHeadersSay() =>
        FrontProxyAuthenticator.Authenticate(Config(), Headers(("X-Remote-User", ["alice"])), null, null).ShouldBe(AuthenticationResult.NoOpinion);

    [Fact]
    public void VerifiedProxy_WithoutUserHeader_HasNoOpinion() =>
        FrontProxyAuthenticator.Authenticate(Config(), Headers(("X-Remote-Group", ["dev"])), ProxyCert, null).ShouldBe(AuthenticationResult.NoOpinion);

    [Fact]
    public void Strip_RemovesStandardAndConfiguredIdentityHeaders_AndKeepsTheRest()
    {
        var headers = Headers(
            ("X-Remote-User", ["a"]), ("X-Remote-Group", ["g"]), ("X-Remote-Uid", ["u"]), ("x-remote-extra-foo", ["e"]),
            ("X-Other-User", ["b"]), ("Accept", ["application/json"]));
        FrontProxyAuthenticator.Strip(headers, Config());
        headers.Keys.ShouldBe(["Accept"]);
    }

    [Theory]
    [InlineData("authentication.kubernetes.io%2fpod-name", "authentication.kubernetes.io/pod-name")]
    [InlineData("plain", "plain")]
    [InlineData("bad%zzescape", "bad%zzescape")]
    [InlineData("trailing%2", "trailing%2")]
    public void ExtraKeys_ArePathUnescaped_OrKeptRawWhenMalformed(string raw, string expected) =>
        FrontProxyAuthenticator.PathUnescape(raw).ShouldBe(expected);
}
