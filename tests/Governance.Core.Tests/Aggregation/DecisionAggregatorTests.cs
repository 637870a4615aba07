using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;
using Governance.Core.Aggregation;

namespace Governance.Core.Tests.Aggregation;

public sealed class DecisionAggregatorTests
{
    private static readonly PolicyThresholds Defaults = new() { ComplianceLevel = 0.95, DenyConfidence = 0.8, AskConfidence = 0.5 };

    /// <summary>The aggregation table from the README: panel (verdict:confidence:weight, ...) → verdict, confidence.</summary>
    [Theory]
    [InlineData("allow:0.98:1, allow:0.96:1", "allow", 0.97)]
    [InlineData("allow:0.98:1, deny:0.9:1", "deny", 0.9)]
    [InlineData("allow:0.99:5, allow:0.99:5, deny:0.85:0.1", "deny", 0.85)]  // any high-confidence deny wins, whatever the weights
    [InlineData("allow:0.98:1, deny:0.6:1", "ask", 0.6)]                     // a low-confidence deny is an ask
    [InlineData("allow:0.98:1, ask:0.7:1", "ask", 0.7)]
    [InlineData("allow:0.98:1, ask:0.4:1", "ask", 0.79)]                     // a weak ask still pulls the mean below compliance
    [InlineData("allow:0.97:3, ask:0.1:1", "allow", 0.9525)]                 // a very weak ask is outweighed
    [InlineData("allow:0.9:1, allow:0.92:1", "ask", 0.91)]                   // low overall confidence turns allow into ask
    [InlineData("allow:0.99:3, allow:0.5:1", "ask", 0.8675)]                 // weighted: (3 × 0.99 + 0.5) / 4
    [InlineData("deny:0.95:1, ask:0.99:1", "deny", 0.95)]                    // deny beats a more confident ask
    [InlineData("deny:0.81:1, deny:0.97:1", "deny", 0.97)]                   // confidence of the strongest deny
    public void Aggregate_Table(string panel, string expected, double confidence)
    {
        var result = DecisionAggregator.Aggregate(Panel(panel), [], Defaults);

        Assert.Equal(expected, result.Verdict.ToWire());
        Assert.Equal(confidence, result.Confidence, 4);
    }

    [Fact]
    public void Aggregate_WeightedMean_UsesWeights()
    {
        var result = DecisionAggregator.Aggregate(Panel("allow:0.99:3, allow:0.91:1"), [], Defaults);

        Assert.Equal(Verdict.Allow, result.Verdict);
        Assert.Equal((3 * 0.99 + 0.91) / 4, result.Confidence, 4);
    }

    [Fact]
    public void Aggregate_LowConfidenceAllow_AsksWithWarning()
    {
        var result = DecisionAggregator.Aggregate(Panel("allow:0.9:1"), [], Defaults);

        Assert.Equal(Verdict.Ask, result.Verdict);
        Assert.Contains(result.Warnings, w => w.Code == "low-confidence");
    }

    [Fact]
    public void Aggregate_RuleDeny_DeniesEvenWhenPanelAllows()
    {
        var rule = new RuleOutcome("wf", "r", RuleEffect.Deny, Severity.Critical, "no", null);

        var result = DecisionAggregator.Aggregate(Panel("allow:0.99:1"), [rule], Defaults);

        Assert.Equal(Verdict.Deny, result.Verdict);
        Assert.Equal(1.0, result.Confidence);
        Assert.Contains("rule:wf/r", result.DecidedBy);
    }

    [Fact]
    public void Aggregate_RuleAsk_Asks()
    {
        var rule = new RuleOutcome("wf", "r", RuleEffect.Ask, Severity.Medium, "check", null);

        Assert.Equal(Verdict.Ask, DecisionAggregator.Aggregate(Panel("allow:0.99:1"), [rule], Defaults).Verdict);
    }

    [Fact]
    public void Aggregate_RuleWarn_LeavesVerdict()
    {
        var rule = new RuleOutcome("wf", "r", RuleEffect.Warn, Severity.Low, "note", null);

        Assert.Equal(Verdict.Allow, DecisionAggregator.Aggregate(Panel("allow:0.99:1"), [rule], Defaults).Verdict);
    }

    [Fact]
    public void Aggregate_AllPersonasFailed_AsksWithZeroConfidence()
    {
        var failed = new PersonaOutcome(new PersonaDescriptor { Id = "x", Name = "x" }, PersonaStatus.Failed, null, "boom", 1);

        var result = DecisionAggregator.Aggregate([failed], [], Defaults);

        Assert.Equal(Verdict.Ask, result.Verdict);
        Assert.Equal(0, result.Confidence);
        Assert.Contains(result.Warnings, w => w.Code == "no-persona-answered");
    }

    [Fact]
    public void Aggregate_FailedPersonaIgnoredInMean()
    {
        var failed = new PersonaOutcome(new PersonaDescriptor { Id = "x", Name = "x", Weight = 10 }, PersonaStatus.TimedOut, null, "late", 1);

        var result = DecisionAggregator.Aggregate([.. Panel("allow:0.98:1"), failed], [], Defaults);

        Assert.Equal(Verdict.Allow, result.Verdict);
        Assert.Equal(0.98, result.Confidence, 4);
    }

    [Fact]
    public void Aggregate_AdvisoryMode_SoftensDenyToAsk()
    {
        var result = DecisionAggregator.Aggregate(Panel("deny:0.99:1"), [], Defaults with { Mode = "advisory" });

        Assert.Equal(Verdict.Ask, result.Verdict);
        Assert.Contains(result.Warnings, w => w.Code == "advisory-mode");
    }

    [Fact]
    public void Aggregate_CustomThresholds_Respected()
    {
        var strict = Defaults with { DenyConfidence = 0.99 };

        Assert.Equal(Verdict.Ask, DecisionAggregator.Aggregate(Panel("deny:0.95:1"), [], strict).Verdict);
        Assert.Equal(Verdict.Allow, DecisionAggregator.Aggregate(Panel("allow:0.9:1"), [], Defaults with { ComplianceLevel = 0.85 }).Verdict);
    }

    private static List<PersonaOutcome> Panel(string spec)
    {
        var outcomes = new List<PersonaOutcome>();
        var i = 0;
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':');
            Assert.True(ContractText.TryParseVerdict(bits[0], out var verdict));
            var confidence = double.Parse(bits[1], System.Globalization.CultureInfo.InvariantCulture);
            var weight = double.Parse(bits[2], System.Globalization.CultureInfo.InvariantCulture);
            var descriptor = new PersonaDescriptor { Id = $"p{i++}", Name = "p", Weight = weight };
            outcomes.Add(new PersonaOutcome(descriptor, PersonaStatus.Ok,
                new PersonaVerdict { Verdict = verdict, Confidence = confidence, Guidance = bits[0] }, null, 0));
        }
        return outcomes;
    }
}
