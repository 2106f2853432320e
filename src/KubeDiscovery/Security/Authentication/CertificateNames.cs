using System.Security.Cryptography.X509Certificates;

namespace KubeDiscovery.Security.Authentication;

/// <summary>Reads a subject's common name and organizations, as Go's <c>pkix.Name</c> exposes them.</summary>
internal static class CertificateNames
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The last CN in the subject (Go keeps the last one it reads), or "".</summary>
    public static string CommonName(X509Certificate2 cert)
    {
        var cn = "";
        foreach (var rdn in cert.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid) cn = rdn.GetSingleElementValue() ?? "";
        }
        return cn;
    }

    public static List<string> Organizations(X509Certificate2 cert)
    {
        List<string> organizations = [];
        foreach (var rdn in cert.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == OrganizationOid && rdn.GetSingleElementValue() is { Length: > 0 } o)
            {
                organizations.Add(o);
            }
        }
        return organizations;
    }
}
