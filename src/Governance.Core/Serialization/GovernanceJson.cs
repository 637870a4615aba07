using System.Text.Encodings.Web;
using System.Text.Json;
using Governance.Abstractions.Decisions;

namespace Governance.Core.Serialization;

/// <summary>The one JSON shape of decisions and errors, for every surface (MCP, CLI, hooks, history).</summary>
public static class GovernanceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>The decision, or its error object when the request was rejected.</summary>
    public static string Serialize(Decision decision) =>
        decision.Error is { } error
            ? JsonSerializer.Serialize(error, Options)
            : JsonSerializer.Serialize(decision, Options);
}
