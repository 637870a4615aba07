using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Core.Personas;
using Governance.Definitions.Loading;

namespace Governance.Definitions.Personas;

/// <summary>Parses, validates and compiles a YAML persona file. Every problem is reported with its file and, where YAML knows it, line.</summary>
internal static class YamlPersonaLoader
{
    public static IPersona? Load(string path, string displayName, string text, LoadProblems problems)
    {
        var document = YamlDocumentReader.Read<PersonaDocument>(text, problems);
        if (document is null)
        {
            if (!problems.Any)
            {
                problems.Add("the file is empty; a persona needs at least id, name and default");
            }
            return null;
        }

        var expectedId = Path.GetFileNameWithoutExtension(path);
        if (!ContractText.IsKebabCase(document.Id))
        {
            problems.Add($"id '{document.Id}' must be kebab-case (lowercase letters, digits and single dashes)");
        }
        else if (document.Id != expectedId)
        {
            problems.Add($"id '{document.Id}' must equal the file name '{expectedId}'");
        }
        if (string.IsNullOrWhiteSpace(document.Name))
        {
            problems.Add("name is required");
        }
        var weight = document.Weight ?? 1.0;
        if (weight is <= 0 or > 10)
        {
            problems.Add($"weight {weight} must be greater than 0 and at most 10");
        }
        if (document.TimeoutMs is not null)
        {
            // A timed YAML persona would answer differently on a busy machine; its patterns are linear-time, so it needs none.
            problems.Add("timeout_ms: a YAML persona is never timed out (its patterns run in linear time, so its verdict does not depend on load); remove the key. Time limits apply to script personas (TimeoutMs)");
        }

        var triggerProblems = new List<string>();
        var triggers = PersonaTriggers.Create(document.Triggers?.Operations, document.Triggers?.Commands, document.Triggers?.Paths,
            document.Triggers?.Urls, "triggers", triggerProblems, document.Triggers?.NotPaths);
        triggerProblems.ForEach(p => problems.Add(p));
        var fallback = Default(document.Default, problems);
        var checks = Checks(document.Checks, problems);

        if (problems.Any || fallback is null)
        {
            return null;
        }
        return new YamlPersona
        {
            Descriptor = new PersonaDescriptor
            {
                Id = document.Id!,
                Name = document.Name!,
                Expertise = document.Expertise ?? "",
                Description = document.Description ?? "",
                Weight = weight,
                Source = "yaml",
                Origin = displayName,
                TriggerKinds = triggers.Kinds?.Order(StringComparer.Ordinal).ToArray() ?? [],
            },
            Triggers = triggers,
            Default = fallback,
            Checks = checks,
        };
    }

    private static PersonaVerdict? Default(DefaultDocument? document, LoadProblems problems)
    {
        if (document is null)
        {
            problems.Add("default is required: the persona's answer when no check matches (verdict, confidence, guidance)");
            return null;
        }
        var verdict = ParseVerdict(document.Verdict, "default.verdict", problems);
        var confidence = Confidence(document.Confidence, "default.confidence", problems);
        if (string.IsNullOrWhiteSpace(document.Guidance))
        {
            problems.Add("default.guidance is required");
        }
        return new PersonaVerdict
        {
            Verdict = verdict,
            Confidence = confidence,
            Guidance = document.Guidance?.Trim() ?? "",
            Rationale = document.Rationale?.Trim() ?? "",
        };
    }

    private static List<PersonaCheck> Checks(List<CheckDocument>? documents, LoadProblems problems)
    {
        var checks = new List<PersonaCheck>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var document = documents![i];
            var where = $"checks[{i}]" + (document.Id is { Length: > 0 } id ? $" ({id})" : "");
            if (!ContractText.IsKebabCase(document.Id))
            {
                problems.Add($"{where}: id '{document.Id}' must be kebab-case");
            }
            else if (!seen.Add(document.Id))
            {
                problems.Add($"{where}: id '{document.Id}' is used twice in this file");
            }
            var when = document.When;
            if (when is null)
            {
                problems.Add($"{where}: when is required (operations, command, path, content, url, not_*)");
                continue;
            }
            var severity = Severity.Medium;
            if (document.Severity is not null && !ContractText.TryParseSeverity(document.Severity, out severity))
            {
                problems.Add($"{where}: severity '{document.Severity}' must be one of {ContractText.SeverityValues}");
            }
            if (string.IsNullOrWhiteSpace(document.Guidance))
            {
                problems.Add($"{where}: guidance is required: tell the agent what to do instead");
            }
            var check = new PersonaCheck
            {
                Id = document.Id ?? "",
                Verdict = ParseVerdict(document.Verdict, $"{where}: verdict", problems),
                Confidence = Confidence(document.Confidence, $"{where}: confidence", problems),
                Severity = severity,
                Guidance = document.Guidance?.Trim() ?? "",
                Rationale = document.Rationale?.Trim() ?? "",
                Recommendations = document.Recommendations?.Select(r => r.Trim()).Where(r => r.Length > 0).ToArray() ?? [],
                Kinds = Kinds(when.Operations, $"{where}: when.operations", problems),
                Command = Pattern(when.Command, when.CommandExcept, $"{where}: when.command", problems),
                Path = Pattern(when.Path, when.PathExcept, $"{where}: when.path", problems),
                Content = Pattern(when.Content, when.ContentExcept, $"{where}: when.content", problems),
                Url = Pattern(when.Url, when.UrlExcept, $"{where}: when.url", problems),
                NotCommand = Pattern(when.NotCommand, $"{where}: when.not_command", problems),
                NotPath = Pattern(when.NotPath, $"{where}: when.not_path", problems),
                NotContent = Pattern(when.NotContent, $"{where}: when.not_content", problems),
                NotUrl = Pattern(when.NotUrl, $"{where}: when.not_url", problems),
                Facts = (when.Facts ?? []).Select(f => new KeyValuePair<string, Regex?>(f.Key, Pattern(f.Value, $"{where}: when.facts.{f.Key}", problems)))
                    .Where(f => f.Value is not null).Select(f => new KeyValuePair<string, Regex>(f.Key, f.Value!)).ToArray(),
                Analysis = AnalysisConditionOf(when, where, problems),
            };
            if (when.Operations is not { Count: > 0 } && when.Command is null && when.Path is null && when.Content is null && when.Url is null &&
                when.Facts is not { Count: > 0 } && check.Analysis is null)
            {
                problems.Add($"{where}: when must name operations or at least one of command, path, content, url, effect, executes, code");
            }
            checks.Add(check);
        }
        return checks;
    }

    private static AnalysisCondition? AnalysisConditionOf(ConditionDocument when, string where, LoadProblems problems)
    {
        if (when.Effect is null && (when.Flags is { Count: > 0 } || when.NotFlags is { Count: > 0 } || when.Target is { Count: > 0 } || when.NotTarget is { Count: > 0 } || when.Detail is not null))
        {
            problems.Add($"{where}: flags, not_flags, target, not_target and detail qualify an effect: add when.effect (e.g. effect: delete)");
        }
        var condition = new AnalysisCondition
        {
            // The kind pattern must match the whole kind: "delete" must not also match "db-...-delete".
            Effect = when.Effect is null ? null : Pattern($"^(?:{when.Effect})$", $"{where}: when.effect", problems),
            Flags = when.Flags ?? [],
            NotFlags = when.NotFlags ?? [],
            Target = Classes(when.Target, $"{where}: when.target", problems, out var unresolved),
            TargetUnresolved = unresolved,
            NotTarget = Classes(when.NotTarget, $"{where}: when.not_target", problems, out _),
            Detail = Pattern(when.Detail, $"{where}: when.detail", problems),
            Executes = Pattern(when.Executes, when.ExecutesExcept, $"{where}: when.executes", problems),
            NotExecutes = Pattern(when.NotExecutes, null, $"{where}: when.not_executes", problems),
            Code = Pattern(when.Code, when.CodeExcept, $"{where}: when.code", problems),
            Opaque = when.Opaque,
        };
        return condition.IsEmpty && when.Effect is null ? null : condition;
    }

    private static Abstractions.Analysis.PathClass Classes(List<string>? names, string where, LoadProblems problems, out bool unresolved)
    {
        unresolved = false;
        var classes = Abstractions.Analysis.PathClass.None;
        foreach (var name in names ?? [])
        {
            if (name == "unresolved")
            {
                unresolved = true;
            }
            else if (AnalysisCondition.TryParseClass(name, out var value))
            {
                classes |= value;
            }
            else
            {
                problems.Add($"{where}: unknown path class '{name}'; use one of {AnalysisCondition.ClassNames}");
            }
        }
        return classes;
    }

    private static Verdict ParseVerdict(string? text, string where, LoadProblems problems)
    {
        if (!ContractText.TryParseVerdict(text, out var verdict))
        {
            problems.Add($"{where} '{text}' must be one of {ContractText.VerdictValues}");
        }
        return verdict;
    }

    private static double Confidence(double? value, string where, LoadProblems problems)
    {
        if (value is not { } confidence || confidence is < 0 or > 1 || double.IsNaN(confidence))
        {
            problems.Add($"{where} must be a number from 0 to 1 (got {(value?.ToString() ?? "nothing")})");
            return 0;
        }
        return confidence;
    }

    private static HashSet<string>? Kinds(List<string>? names, string where, LoadProblems problems)
    {
        var found = new List<string>();
        var kinds = PersonaTriggers.KindSet(names, where, found);
        found.ForEach(p => problems.Add(p));
        return kinds;
    }

    internal static Regex? Pattern(string? pattern, string where, LoadProblems problems)
    {
        if (pattern is null)
        {
            return null;
        }
        var regex = PolicyRegex.TryCreate(pattern, out var error);
        if (regex is null)
        {
            problems.Add($"{where}: {error}");
        }
        return regex;
    }

    /// <summary>A pattern and the exception checked against each of its matches (<c>path</c> and <c>path_except</c>).</summary>
    private static PolicyPattern? Pattern(string? pattern, string? except, string where, LoadProblems problems)
    {
        if (pattern is null)
        {
            if (except is not null)
            {
                var key = where[(where.LastIndexOf('.') + 1)..];
                problems.Add($"{where}_except needs {key}: it is checked against each match of {key} (not_{key} excludes whole values)");
            }
            return null;
        }
        var match = Pattern(pattern, where, problems);
        var excepted = Pattern(except, where + "_except", problems);
        return match is null ? null : new PolicyPattern(match, excepted);
    }
}
