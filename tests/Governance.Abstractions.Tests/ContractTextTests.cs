using System.Text.Json;
using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Tests;

public sealed class ContractTextTests
{
    [Theory]
    [InlineData("security-reviewer", true)]
    [InlineData("git2-steward", true)]
    [InlineData("a", true)]
    [InlineData("Security", false)]
    [InlineData("snake_case", false)]
    [InlineData("-leading", false)]
    [InlineData("trailing-", false)]
    [InlineData("double--dash", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKebabCase_Classifies(string? id, bool expected) => Assert.Equal(expected, ContractText.IsKebabCase(id));

    [Theory]
    [InlineData(Verdict.Allow, "allow")]
    [InlineData(Verdict.Ask, "ask")]
    [InlineData(Verdict.Deny, "deny")]
    public void Verdict_WireTextJsonAndParseAgree(Verdict verdict, string wire)
    {
        Assert.Equal(wire, verdict.ToWire());
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(verdict));
        Assert.True(ContractText.TryParseVerdict(wire.ToUpperInvariant(), out var parsed));
        Assert.Equal(verdict, parsed);
    }

    [Theory]
    [InlineData(Severity.Low, "low")]
    [InlineData(Severity.Medium, "medium")]
    [InlineData(Severity.High, "high")]
    [InlineData(Severity.Critical, "critical")]
    public void Severity_WireTextJsonAndParseAgree(Severity severity, string wire)
    {
        Assert.Equal(wire, severity.ToWire());
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(severity));
        Assert.True(ContractText.TryParseSeverity(wire, out var parsed));
        Assert.Equal(severity, parsed);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseVerdict_Unknown_False(string? text) => Assert.False(ContractText.TryParseVerdict(text, out _));

    [Fact]
    public void Decision_SerializesTheContractShape()
    {
        var decision = new Decision { DecisionId = "d", CorrelationId = "c", SessionId = "s", Verdict = Verdict.Deny, Confidence = 0.9 };

        var json = JsonDocument.Parse(JsonSerializer.Serialize(decision)).RootElement;

        foreach (var key in new[] { "decision_id", "correlation_id", "session_id", "verdict", "approved", "confidence", "persona_guidance",
                     "recommendations", "warnings", "policy_revision", "cached", "elapsed_ms" })
        {
            Assert.True(json.TryGetProperty(key, out _), key);
        }
        Assert.Equal("deny", json.GetProperty("verdict").GetString());
        Assert.False(json.GetProperty("approved").GetBoolean());
        Assert.False(json.TryGetProperty("Error", out _));
    }
}
