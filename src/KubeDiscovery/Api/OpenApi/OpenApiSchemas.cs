using System.Text.Json.Nodes;

namespace KubeDiscovery.Api.OpenApi;

/// <summary>
/// The schemas of what this server answers, once, in the JSON Schema subset both OpenAPI v2 and v3 share.
/// Named as kube-apiserver names definitions (<c>io.kubediscovery.v1.Composition</c>); top-level kinds
/// carry <c>x-kubernetes-group-version-kind</c>, which is how <c>kubectl explain</c> finds them. Metadata
/// is described inline rather than by reference to apimachinery's ObjectMeta, so merging into
/// kube-apiserver's document never meets a second, different ObjectMeta.
/// </summary>
internal static class OpenApiSchemas
{
    public const string Prefix = "io.kubediscovery.v1.";

    /// <param name="reference">How a schema refers to another: <c>#/definitions/</c> (v2) or <c>#/components/schemas/</c> (v3).</param>
    public static JsonObject All(string reference)
    {
        JsonObject Ref(string name) => new() { ["$ref"] = reference + Prefix + name };
        // A $ref takes no description beside it (OpenAPI 3.0): wrap it in allOf, as kube-apiserver does.
        JsonObject Described(string name, string description) => new() { ["description"] = description, ["allOf"] = new JsonArray(Ref(name)) };
        JsonObject ArrayOf(JsonNode items, string description) => new() { ["type"] = "array", ["items"] = items, ["description"] = description };
        static JsonObject Str(string description) => new() { ["type"] = "string", ["description"] = description };
        static JsonObject Bool(string description) => new() { ["type"] = "boolean", ["description"] = description };
        static JsonObject Int(string description) => new() { ["type"] = "integer", ["format"] = "int32", ["description"] = description };

        JsonObject Node(string linkName, string linkDescription, string self) => new()
        {
            ["type"] = "object",
            ["description"] = self,
            ["required"] = new JsonArray("apiVersion", "kind", "name", "uid", "status"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("The object's own apiVersion, as it was read"),
                ["kind"] = Str("The object's kind"),
                ["namespace"] = Str("The object's namespace; absent for cluster-scoped objects"),
                ["name"] = Str("The object's name"),
                ["uid"] = Str("The object's uid"),
                ["creationTimestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the object was created" },
                ["status"] = Described("NodeStatus", "The object's readiness"),
                ["cycle"] = Bool("The object already appears above it on the path: a cycle of owner references is cut here"),
                ["expandedElsewhere"] = Bool("The object appears, expanded, earlier in the same answer (same uid); its relatives are shown there"),
                ["truncated"] = Bool("More exist but were not expanded: the depth limit or the answer's node budget was reached"),
                [linkName == "children" ? "hiddenChildren" : "hiddenAncestors"] = Int("Relatives left out because the requester may not read them"),
                ["danglingOwners"] = ArrayOf(Ref("OwnerReference"), "Owner references of the root that name nothing in the cluster"),
                [linkName] = ArrayOf(Ref(linkName == "children" ? "CompositionNode" : "AncestorNode"), linkDescription),
            },
        };

        JsonObject Meta(bool namespaced) => new()
        {
            ["type"] = "object",
            ["description"] = "Standard object metadata",
            ["properties"] = new JsonObject
            {
                ["name"] = Str("The item name: the root's kind in lower case, its group unless the kind says it, and its name (deployment.frontend, postgres.db.example.com.orders-db)"),
                ["namespace"] = namespaced ? Str("The root's namespace") : Str("Absent: the root is cluster-scoped"),
                ["uid"] = Str("The root's uid"),
                ["resourceVersion"] = Str("The index generation the answer was built from"),
                ["creationTimestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the root was created" },
                ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" }, ["description"] = "The root's labels" },
            },
        };

        JsonObject ListMeta() => new()
        {
            ["type"] = "object",
            ["description"] = "Standard list metadata",
            ["properties"] = new JsonObject
            {
                ["resourceVersion"] = Str("The index generation the answer was built from"),
                ["continue"] = Str("Set when more items remain: pass it as ?continue= for the next page"),
                ["remainingItemCount"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "How many items remain after this page" },
            },
        };

        JsonObject Gvk(string kind) => new JsonObject { ["group"] = KubeDiscoveryApi.Name, ["version"] = KubeDiscoveryApi.Version, ["kind"] = kind };

        JsonObject Item(string kind, bool namespaced) => new()
        {
            ["type"] = "object",
            ["description"] = $"What an object is made of (its tree of owned objects, with status) and what it belongs to (its ancestors){(namespaced ? "" : ", for cluster-scoped objects")}",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("kubediscovery.io/v1"),
                ["kind"] = Str(kind),
                ["metadata"] = Meta(namespaced),
                ["root"] = Described("CompositionNode", "The object asked for (or the root of a list item), with everything it owns"),
                ["ancestors"] = ArrayOf(Ref("AncestorNode"), "The root's owners, each with its own ancestors, up to the top; empty for a root"),
                ["hiddenAncestors"] = Int("Owners of the root the requester may not read"),
                ["status"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Only when the root is not ready: why",
                    ["properties"] = new JsonObject
                    {
                        ["ready"] = Str("False"),
                        ["cause"] = ArrayOf(new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject { ["object"] = Str("Kind/name"), ["namespace"] = Str("Its namespace"), ["reason"] = Str("A container's waiting or terminated reason, else the condition's"), ["message"] = Str("What it says") },
                        }, "The not-ready objects at the bottom of the tree's chains, with reason and message"),
                    },
                },
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind)),
        };

        JsonObject List(string kind, string itemKind) => new()
        {
            ["type"] = "object",
            ["description"] = $"A list of {itemKind}s",
            ["required"] = new JsonArray("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("kubediscovery.io/v1"),
                ["kind"] = Str(kind),
                ["metadata"] = ListMeta(),
                ["items"] = ArrayOf(Ref(itemKind), $"The {itemKind}s"),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind)),
        };

        JsonObject Change() => new()
        {
            ["type"] = "object",
            ["description"] = "One change history recorded: a version of an object (created, updated, deleted), or a gap where history may be incomplete",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("kubediscovery.io/v1"),
                ["kind"] = Str("Change"),
                ["metadata"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "The change's own metadata",
                    ["properties"] = new JsonObject
                    {
                        ["name"] = Str("The object's name, its version number and the start of its uid (gap.N for a gap)"),
                        ["namespace"] = Str("The object's namespace; absent for cluster-scoped objects and gaps"),
                        ["creationTimestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the change was observed" },
                        ["resourceVersion"] = Str("Where history wrote it: a watch from a list's resourceVersion gets every change after it"),
                    },
                },
                ["time"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the change was observed, to the millisecond" },
                ["change"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Created", "Updated", "Deleted", "Gap"), ["description"] = "What happened" },
                ["apiGroup"] = Str("The object's API group"),
                ["resource"] = Str("The object's resource (plural)"),
                ["objectKind"] = Str("The object's kind"),
                ["namespace"] = Str("The object's namespace"),
                ["name"] = Str("The object's name"),
                ["uid"] = Str("The object's uid"),
                ["number"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "The version's number in the object's history (versions, diff)" },
                ["resourceVersion"] = Str("The object's resourceVersion after the change"),
                ["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "The object's generation after the change" },
                ["observedLate"] = Bool("Seen by a LIST after the fact, not by a watch as it happened"),
                ["user"] = Str("Who made it, from kube-apiserver's audit events"),
                ["userAgent"] = Str("The client that made it, from audit events"),
                ["verb"] = Str("The request that made it, from audit events"),
                ["managers"] = ArrayOf(new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["manager"] = Str("The field manager"), ["operation"] = Str("Apply or Update"), ["time"] = Str("When it wrote") },
                }, "The field managers new in this version"),
                ["changedPaths"] = ArrayOf(new JsonObject { ["type"] = "string" }, "The fields that changed (spec.replicas, data.password (written))"),
                ["message"] = Str("For a gap: why history may be incomplete there"),
                ["via"] = Str("In an object's changes: self, composition or connection"),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk("Change")),
        };

        JsonObject Application() => new()
        {
            ["type"] = "object",
            ["description"] = "What a user deployed, as a deployment tool or label convention marks it: a Helm release, an Argo CD Application, a Flux Kustomization or HelmRelease, objects sharing app.kubernetes.io/instance, or a platform rule",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Str("kubediscovery.io/v1"),
                ["kind"] = Str("Application"),
                ["metadata"] = Meta(namespaced: true),
                ["spec"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "How the application was recognised",
                    ["properties"] = new JsonObject
                    {
                        ["source"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("argocd", "flux", "helm", "labels", "rule"), ["description"] = "The tool or convention that marks it" },
                        ["form"] = Str("argocd, kustomization, helmrelease, helm, instance, part-of, or a rule's name: the start of the item name"),
                        ["name"] = Str("The release's, Application's or label's name"),
                        ["root"] = Str("The object the application is (an Argo CD Application, a Flux Kustomization or HelmRelease), when followed"),
                        ["parent"] = Str("The application it is part of (namespace/name when elsewhere)"),
                    },
                },
                ["status"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "The rollup over the members the requester may read",
                    ["properties"] = new JsonObject
                    {
                        ["ready"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("True", "False", "Unknown"), ["description"] = "Whether every member with a notion of readiness is ready" },
                        ["reason"] = Str("Its own object's state, else its worst member's reason, else Ready"),
                        ["message"] = Str("Its own object's message (Argo CD's sync status)"),
                        ["readyMembers"] = Int("Members that are ready"),
                        ["membersWithStatus"] = Int("Members with a notion of readiness"),
                        ["members"] = Int("Objects that are the application's own (the trees' roots)"),
                        ["objects"] = Int("Objects in the members' trees"),
                        ["hiddenObjects"] = Int("Objects in the trees the requester may not read"),
                        ["revision"] = Str("The revision applied: Argo CD's sync revision, Flux's lastAppliedRevision, the Helm release's number"),
                        ["helm"] = Str("The Helm release's newest record: revision, status (deployed, failed, pending-upgrade…) and time, from its labels"),
                        ["lastChange"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When a member last changed (with --history-db)" },
                        ["cause"] = ArrayOf(new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject { ["object"] = Str("Kind/name"), ["namespace"] = Str("Its namespace"), ["reason"] = Str("A container's waiting or terminated reason, else the condition's"), ["message"] = Str("What it says") },
                        }, "The not-ready objects at the bottom of the chains, with reason and message"),
                        ["children"] = ArrayOf(new JsonObject { ["type"] = "string" }, "Applications nested in this one"),
                        ["alsoClaimedBy"] = ArrayOf(new JsonObject { ["type"] = "object" }, "Members another, less authoritative, tool claims too"),
                    },
                },
                ["members"] = ArrayOf(new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["kind"] = Str("The members' kind"), ["group"] = Str("Its API group"), ["items"] = ArrayOf(Ref("CompositionNode"), "Each member's tree") },
                }, "A single application's members, grouped by kind, each with its composition tree"),
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk("Application")),
        };

        return new JsonObject
        {
            [Prefix + "Application"] = Application(),
            [Prefix + "ApplicationList"] = List("ApplicationList", "Application"),
            [Prefix + "Change"] = Change(),
            [Prefix + "ChangeList"] = List("ChangeList", "Change"),
            [Prefix + "Composition"] = Item("Composition", namespaced: true),
            [Prefix + "CompositionList"] = List("CompositionList", "Composition"),
            [Prefix + "ClusterComposition"] = Item("ClusterComposition", namespaced: false),
            [Prefix + "ClusterCompositionList"] = List("ClusterCompositionList", "ClusterComposition"),
            [Prefix + "CompositionNode"] = Node("children", "What this object owns, ordered by kind, namespace, name", "One object in a composition tree"),
            [Prefix + "AncestorNode"] = Node("ancestors", "This object's own owners", "One object an object belongs to"),
            [Prefix + "NodeStatus"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Readiness: the Ready condition, else Available, else a rule per kind",
                ["required"] = new JsonArray("ready"),
                ["properties"] = new JsonObject
                {
                    ["ready"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("True", "False", "Unknown", "-"), ["description"] = "- for kinds with no notion of readiness (ConfigMap, Service…); Unknown only for kinds that have one" },
                    ["reason"] = Str("Why, in one word"),
                    ["message"] = Str("Why, in a sentence"),
                },
            },
            [Prefix + "OwnerReference"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "An owner reference, as the object states it",
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = Str("The owner's apiVersion"),
                    ["kind"] = Str("The owner's kind"),
                    ["name"] = Str("The owner's name"),
                    ["uid"] = Str("The owner's uid"),
                    ["controller"] = Bool("Whether the owner is the managing controller"),
                },
            },
        };
    }
}
