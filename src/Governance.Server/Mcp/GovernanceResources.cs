using System.ComponentModel;
using System.Text.Json;
using Governance.Abstractions.Policy;
using Governance.Core.Serialization;
using Governance.Server.Reports;
using ModelContextProtocol.Server;

namespace Governance.Server.Mcp;

/// <summary>The MCP resources: the active policy and the metrics.</summary>
[McpServerResourceType]
internal sealed class GovernanceResources(StatusReporter reporter, IPolicyProvider policy)
{
    [McpServerResource(UriTemplate = "governance://config", Name = "governance_config", MimeType = "application/json")]
    [Description("Active personas, rules, thresholds, policy revision, load errors, cache and database settings, pipeline order and metrics.")]
    public async Task<string> Config(CancellationToken cancellationToken)
    {
        // The policy loads in the background while the server already answers the handshake: report it once it is there.
        await policy.Loaded.WaitAsync(cancellationToken);
        return JsonSerializer.Serialize(reporter.Config(), GovernanceJson.Options);
    }

    [McpServerResource(UriTemplate = "governance://metrics", Name = "governance_metrics", MimeType = "application/json")]
    [Description("Request counts, cache hits and misses, errors, average response time: overall and for this connection's session.")]
    public string Metrics() => JsonSerializer.Serialize(reporter.Metrics(), GovernanceJson.Options);
}
