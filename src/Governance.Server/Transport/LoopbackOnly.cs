using Microsoft.AspNetCore.Http;

namespace Governance.Server.Transport;

/// <summary>
/// DNS rebinding protection for the loopback HTTP service: a page on evil.example.com whose name resolves to 127.0.0.1
/// reaches the port, but its requests carry <c>Host: evil.example.com</c> and <c>Origin: http://evil.example.com</c>.
/// Only loopback names are served; without this, any web page the user opens could post hook answers, call tools and
/// read history.
/// </summary>
internal static class LoopbackOnly
{
    private static readonly string[] Names = ["127.0.0.1", "localhost", "[::1]", "::1"];

    /// <summary>Null when the request may be served, else why not.</summary>
    public static string? Refusal(HttpRequest request)
    {
        var host = request.Host.Host;
        if (!request.Host.HasValue || !IsLoopback(host))
        {
            return $"Host '{request.Host.Value}' is not a loopback name; this service answers only 127.0.0.1, localhost and [::1]";
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsLoopback(uri.Host)))
        {
            return $"Origin '{origin}' is not a loopback origin; browsers on other sites may not call this service";
        }
        return null;
    }

    private static bool IsLoopback(string host) =>
        Names.Contains(host, StringComparer.OrdinalIgnoreCase) || host.StartsWith("127.", StringComparison.Ordinal) && System.Net.IPAddress.TryParse(host, out _);
}
