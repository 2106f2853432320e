namespace KubeDiscovery.Security.Authorization;

/// <summary>A SubjectAccessReview could not be answered; the request fails with 500, as in kube-apiserver.</summary>
internal sealed class AuthorizationUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
