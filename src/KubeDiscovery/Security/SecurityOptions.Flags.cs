using System.CommandLine;
using KubeDiscovery.Cli;

namespace KubeDiscovery.Security;

public sealed partial record SecurityOptions
{
    /// <summary>The flags of k8s.io/apiserver's delegating authentication and authorization options, under their names.</summary>
    internal sealed class Flags
    {
        private readonly Option<string?> _authenticationKubeconfig = new("--authentication-kubeconfig")
        {
            Description = "Kubeconfig of the cluster that reviews bearer tokens (TokenReview) and publishes kube-system/extension-apiserver-authentication. Default: the followed cluster; none with --demo/--snapshot.",
        };

        private readonly Option<string?> _authorizationKubeconfig = new("--authorization-kubeconfig")
        {
            Description = "Kubeconfig of the cluster that authorizes requests (SubjectAccessReview). Default: the followed cluster; with --demo/--snapshot and no such cluster, every request is allowed.",
        };

        private readonly Option<string?> _clientCaFile = new("--client-ca-file")
        {
            Description = "PEM bundle: client certificates signed by it authenticate as their CN (groups: O). Overrides client-ca-file from the ConfigMap.",
        };

        private readonly Option<string?> _requestHeaderCaFile = new("--requestheader-client-ca-file")
        {
            Description = "PEM bundle of the front proxy's CA: its client certificates may name the user in request headers. Overrides the ConfigMap's requestheader-* settings.",
        };

        private readonly Option<string[]> _requestHeaderAllowedNames = FlagParsing.ListOption("--requestheader-allowed-names", "Common names the front proxy's certificate may have; empty allows any (with --requestheader-client-ca-file).");
        private readonly Option<string[]> _requestHeaderUsernameHeaders = FlagParsing.ListOption("--requestheader-username-headers", "Headers naming the user, first non-empty wins (default X-Remote-User).");
        private readonly Option<string[]> _requestHeaderGroupHeaders = FlagParsing.ListOption("--requestheader-group-headers", "Headers naming groups (default X-Remote-Group).");
        private readonly Option<string[]> _requestHeaderExtraPrefixes = FlagParsing.ListOption("--requestheader-extra-headers-prefix", "Header prefixes of extra user attributes (default X-Remote-Extra-).");
        private readonly Option<string[]> _requestHeaderUidHeaders = FlagParsing.ListOption("--requestheader-uid-headers", "Headers naming the user's UID (default none).");

        private readonly Option<bool> _skipLookup = new("--authentication-skip-lookup")
        {
            Description = "Do not read kube-system/extension-apiserver-authentication; trust only the CA files given.",
        };

        private readonly Option<string[]> _alwaysAllowGroups = FlagParsing.ListOption("--authorization-always-allow-groups", "Groups allowed everything without a SubjectAccessReview (default system:masters).");
        private readonly Option<string[]> _alwaysAllowPaths = FlagParsing.ListOption("--authorization-always-allow-paths", "Paths anyone may get; a trailing * matches a prefix (default /healthz,/readyz,/livez).");

        private readonly Option<HiddenChildrenMode> _hiddenChildren = new("--hidden-children")
        {
            Description = "What a tree says of children the requester may not read: count (hiddenChildren: N) or omit (nothing, not even truncated).",
            DefaultValueFactory = _ => HiddenChildrenMode.Count,
        };

        public IEnumerable<Option> All =>
        [
            _authenticationKubeconfig, _authorizationKubeconfig, _clientCaFile, _requestHeaderCaFile, _requestHeaderAllowedNames,
            _requestHeaderUsernameHeaders, _requestHeaderGroupHeaders, _requestHeaderExtraPrefixes, _requestHeaderUidHeaders, _skipLookup,
            _alwaysAllowGroups, _alwaysAllowPaths, _hiddenChildren,
        ];

        public SecurityOptions Read(ParseResult parsed)
        {
            var defaults = new SecurityOptions();
            return new SecurityOptions
            {
                AuthenticationKubeconfig = parsed.GetValue(_authenticationKubeconfig),
                AuthorizationKubeconfig = parsed.GetValue(_authorizationKubeconfig),
                ClientCaFile = parsed.GetValue(_clientCaFile),
                RequestHeaderClientCaFile = parsed.GetValue(_requestHeaderCaFile),
                RequestHeaderAllowedNames = FlagParsing.ListOr(parsed, _requestHeaderAllowedNames, defaults.RequestHeaderAllowedNames),
                RequestHeaderUsernameHeaders = FlagParsing.ListOr(parsed, _requestHeaderUsernameHeaders, defaults.RequestHeaderUsernameHeaders),
                RequestHeaderGroupHeaders = FlagParsing.ListOr(parsed, _requestHeaderGroupHeaders, defaults.RequestHeaderGroupHeaders),
                RequestHeaderExtraHeadersPrefix = FlagParsing.ListOr(parsed, _requestHeaderExtraPrefixes, defaults.RequestHeaderExtraHeadersPrefix),
                RequestHeaderUidHeaders = FlagParsing.ListOr(parsed, _requestHeaderUidHeaders, defaults.RequestHeaderUidHeaders),
                AuthenticationSkipLookup = parsed.GetValue(_skipLookup),
                AlwaysAllowGroups = FlagParsing.ListOr(parsed, _alwaysAllowGroups, defaults.AlwaysAllowGroups),
                AlwaysAllowPaths = FlagParsing.ListOr(parsed, _alwaysAllowPaths, defaults.AlwaysAllowPaths),
                HiddenChildren = parsed.GetValue(_hiddenChildren),
            };
        }
    }
}
