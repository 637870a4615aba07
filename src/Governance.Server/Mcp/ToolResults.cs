using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Core.Serialization;
using ModelContextProtocol.Protocol;

namespace Governance.Server.Mcp;

/// <summary>
/// How results go on the wire: a decision as structured content (plus the same JSON as text for clients that
/// read text); a rejection as an isError result whose text is the seed error object.
/// </summary>
internal static class ToolResults
{
    public static CallToolResult From(Decision decision) =>
        decision.Error is { } error ? Error(error) : Structured(decision);

    public static CallToolResult Structured<T>(T value)
    {
        var element = JsonSerializer.SerializeToElement(value, GovernanceJson.Options);
        return new CallToolResult
        {
            StructuredContent = element,
            Content = [new TextContentBlock { Text = element.GetRawText() }],
        };
    }

    /// <summary>
    /// Errors carry the error object as text only: clients validate structuredContent against the tool's output
    /// schema even on errors, and the error object is not a decision.
    /// </summary>
    public static CallToolResult Error(GovernanceError error) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = JsonSerializer.Serialize(error, GovernanceJson.Options) }],
    };

    public static CallToolResult Error(string message, string code, TimeProvider time) => Error(new GovernanceError
    {
        Error = message,
        Fallback = "ask",
        CorrelationId = Guid.NewGuid().ToString(),
        Timestamp = time.GetUtcNow(),
        Code = code,
    });
}
