using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;
using Governance.Definitions.Loading;
using RulesEngine.Exceptions;
using RulesEngine.Models;
using YamlDotNet.Core;

namespace Governance.Definitions.Rules;

/// <summary>
/// Loads RulesEngine workflows from JSON and YAML files, checks every rule's effect, compiles every expression
/// eagerly (RulesEngine would otherwise compile on first use and report errors per request), and builds the
/// evaluator. A broken file is reported and left out; the others load.
/// </summary>
internal static class RuleSetLoader
{
    private static readonly JsonSerializerOptions WorkflowJson = new(JsonSerializerDefaults.Web);

    public static ReSettings Settings() => new()
    {
        CustomTypes =
        [
            typeof(Regex), typeof(RegexOptions), typeof(StringComparison),
            typeof(OperationAnalysis), typeof(OperationEffect), typeof(PathTarget), typeof(PathClass), typeof(AnalyzedCommand), typeof(EffectKinds),
        ],
    };

    public static async Task<IRuleEvaluator> BuildAsync(IReadOnlyList<(string DisplayName, string Text)> files, List<LoadProblems> report, CancellationToken cancellationToken)
    {
        var accepted = new List<(RulesEngine.RulesEngine Engine, string Workflow)>();
        var compiled = new Dictionary<(string, string), CompiledRule>();
        var descriptors = new List<RuleDescriptor>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (displayName, text) in files)
        {
            var problems = new LoadProblems(displayName);
            report.Add(problems);
            var workflows = Parse(displayName, text, problems);
            if (workflows is null)
            {
                continue;
            }
            var fileRules = new Dictionary<(string, string), CompiledRule>();
            var fileDescriptors = new List<RuleDescriptor>();
            foreach (var workflow in workflows)
            {
                if (string.IsNullOrWhiteSpace(workflow.WorkflowName))
                {
                    problems.Add("a workflow has no WorkflowName");
                    continue;
                }
                if (owners.TryGetValue(workflow.WorkflowName, out var owner))
                {
                    problems.Add($"workflow '{workflow.WorkflowName}' is already defined in {owner}");
                    continue;
                }
                foreach (var rule in workflow.Rules ?? [])
                {
                    if (Compile(workflow.WorkflowName, rule, problems) is { } ok)
                    {
                        fileRules[(ok.Workflow, ok.Rule)] = ok;
                        fileDescriptors.Add(new RuleDescriptor(ok.Workflow, ok.Rule, ok.Effect.ToString().ToLowerInvariant(),
                            ok.Severity.ToWire(), displayName, rule.Enabled));
                    }
                }
            }
            var engine = problems.Any ? null : await CheckExpressionsAsync(workflows, problems, cancellationToken);
            if (engine is null || problems.Any)
            {
                continue;
            }
            foreach (var workflow in workflows)
            {
                owners[workflow.WorkflowName] = displayName;
            }
            accepted.AddRange(workflows.Select(w => (engine, w.WorkflowName)));
            foreach (var (key, value) in fileRules)
            {
                compiled[key] = value;
            }
            descriptors.AddRange(fileDescriptors);
        }

        // Each file's engine already compiled every expression while it was checked: the evaluator is warm.
        return new RulesEngineEvaluator(accepted, compiled, descriptors);
    }

    private static Workflow[]? Parse(string displayName, string text, LoadProblems problems)
    {
        try
        {
            JsonNode? node = displayName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                : YamlToJson.Convert(text);
            return node switch
            {
                JsonArray array => array.Deserialize<Workflow[]>(WorkflowJson),
                JsonObject single => [single.Deserialize<Workflow>(WorkflowJson)!],
                null => Fail("the file is empty; it should hold a workflow or a list of workflows"),
                _ => Fail("the file must hold a workflow object or a list of workflows"),
            };
        }
        catch (JsonException ex)
        {
            problems.Add($"invalid JSON: {ex.Message}", (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1);
            return null;
        }
        catch (YamlException ex)
        {
            problems.Add($"invalid YAML: {ex.Message}", (int)ex.Start.Line, (int)ex.Start.Column);
            return null;
        }

        Workflow[]? Fail(string message)
        {
            problems.Add(message);
            return null;
        }
    }

    private static CompiledRule? Compile(string workflow, Rule rule, LoadProblems problems)
    {
        var where = $"{workflow}/{rule.RuleName}";
        if (string.IsNullOrWhiteSpace(rule.RuleName))
        {
            problems.Add($"a rule in workflow '{workflow}' has no RuleName");
            return null;
        }
        if (string.IsNullOrWhiteSpace(rule.Expression))
        {
            problems.Add($"{where}: Expression is required");
            return null;
        }
        var effectText = Property(rule, "effect");
        RuleEffect effect;
        switch (effectText?.ToLowerInvariant())
        {
            case "deny": effect = RuleEffect.Deny; break;
            case "ask": effect = RuleEffect.Ask; break;
            case "warn": effect = RuleEffect.Warn; break;
            default:
                problems.Add($"{where}: Properties.effect '{effectText}' must be one of deny, ask, warn");
                return null;
        }
        var severityText = Property(rule, "severity") ?? "medium";
        if (!ContractText.TryParseSeverity(severityText, out var severity))
        {
            problems.Add($"{where}: Properties.severity '{severityText}' must be one of {ContractText.SeverityValues}");
            return null;
        }
        var message = !string.IsNullOrWhiteSpace(rule.SuccessEvent) ? rule.SuccessEvent.Trim() : $"Rule {where} applies.";
        return new CompiledRule(workflow, rule.RuleName, effect, severity, message, Property(rule, "recommendation"));
    }

    private static string? Property(Rule rule, string name)
    {
        if (rule.Properties is null)
        {
            return null;
        }
        foreach (var (key, value) in rule.Properties)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value switch
                {
                    JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                    JsonElement element => element.GetRawText(),
                    _ => value?.ToString(),
                };
            }
        }
        return null;
    }

    /// <summary>
    /// Compiles every expression against sample inputs of the real types (parse errors name the rule) and returns
    /// the engine, warm, for the evaluator; null when the workflows are invalid.
    /// </summary>
    private static async Task<RulesEngine.RulesEngine?> CheckExpressionsAsync(Workflow[] workflows, LoadProblems problems, CancellationToken cancellationToken)
    {
        RulesEngine.RulesEngine engine;
        try
        {
            engine = new RulesEngine.RulesEngine(workflows, Settings());
        }
        catch (RuleValidationException ex)
        {
            problems.Add(ex.Message);
            return null;
        }
        var parameters = RulesEngineEvaluator.Parameters(SampleOperation(), new PersonaPanelSummary());
        foreach (var workflow in workflows)
        {
            List<RuleResultTree> results;
            try
            {
                results = await engine.ExecuteAllRulesAsync(workflow.WorkflowName, parameters, cancellationToken);
            }
            catch (Exception ex) when (ex is RuleException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"{workflow.WorkflowName}: {ex.Message}");
                continue;
            }
            foreach (var result in results)
            {
                Walk(workflow.WorkflowName, result, problems);
            }
        }
        return engine;
    }

    private static void Walk(string workflow, RuleResultTree result, LoadProblems problems)
    {
        if (result.ExceptionMessage?.StartsWith("Exception while parsing expression", StringComparison.Ordinal) == true)
        {
            problems.Add($"{workflow}/{result.Rule.RuleName}: {result.ExceptionMessage}");
        }
        foreach (var child in result.ChildResults ?? [])
        {
            Walk(workflow, child, problems);
        }
    }

    internal static Operation SampleOperation() => new()
    {
        Kind = OperationKinds.CommandExecution,
        Name = "Bash",
        ToolName = "Bash",
        Command = "true",
    };
}
