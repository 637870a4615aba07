using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// A decision as the agent reads it: personas that had nothing to say (allow, no check fired) are listed by verdict
    /// and confidence only, so the objecting voices and their alternatives lead. The full decision is in history.
    /// </summary>
    public static CallToolResult ForAgent(Decision decision)
    {
        if (decision.Error is { } error)
        {
            return Error(error);
        }
        var node = JsonSerializer.SerializeToNode(decision, GovernanceJson.Options)!.AsObject();
        if (node["persona_guidance"] is JsonObject panel)
        {
            foreach (var (id, guidance) in decision.PersonaGuidance)
            {
                if (guidance is { Verdict: "allow", Status: "ok", Checks.Count: 0 })
                {
                    panel[id] = new JsonObject { ["verdict"] = "allow", ["confidence"] = guidance.Confidence };
                }
            }
        }
        var element = JsonSerializer.SerializeToElement(node, GovernanceJson.Options);
        return new CallToolResult
        {
            StructuredContent = element,
            Content = [new TextContentBlock { Text = element.GetRawText() }],
        };
    }

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
