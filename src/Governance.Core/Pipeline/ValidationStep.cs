using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Validation;

namespace Governance.Core.Pipeline;

/// <summary>
/// Checks the operation name and the context (a JSON object within size and depth bounds), maps the name to a
/// kind and builds the normalised operation. A request that cannot be reviewed is settled here with an error naming
/// what to fix, answered ask (deny when it broke the hard size limit). An oversized or partly unreadable request is
/// reviewed as far as it can be read and marked flawed, which keeps it from being allowed. A policy that loaded no
/// configured persona cannot review anything: that is a governance failure (no decision in fail-open, deny in fail-closed).
/// </summary>
public sealed class ValidationStep(RequestLimits limits, FailureOptions? failure = null) : IDecisionStep
{
    public string Name => "validate";

    public ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        context.SessionId = SessionOf(context);
        if (context.Policy.CoreOnly)
        {
            // The built-in safety net alone would say "none objected" to nearly everything: that is not a review.
            return ValueTask.FromResult(Rejection.Failure(context, Unusable(context.Policy), "policy_unavailable", failure?.FailClosed ?? false));
        }
        if (Check(context) is { } problem)
        {
            return ValueTask.FromResult(Rejection.For(context, problem.Message, problem.Code, problem.Verdict));
        }
        return next(context);
    }

    private static string Unusable(Abstractions.Policy.PolicySnapshot snapshot)
    {
        var where = snapshot.Root.Length > 0 ? snapshot.Root : "the policy root";
        var first = snapshot.LoadErrors.Count > 0 ? $" ({snapshot.LoadErrors.Count} load error(s), first: {snapshot.LoadErrors[0]})" : "";
        return $"the policy pack at {where} loaded no persona{first}; governance cannot review calls until the pack is fixed (see governance_config)";
    }

    private (string Message, string Code, Verdict Verdict)? Check(DecisionContext context)
    {
        if (context.InputOverHardLimit)
        {
            return (context.InputError ?? $"the request is larger than the hard limit of {limits.MaxRequestBytes} bytes and was not read; split the operation",
                "request_too_large", Verdict.Deny);
        }
        if (context.InputError is { } inputError)
        {
            return (inputError, "unreadable_request", Verdict.Ask);
        }
        var name = context.RawOperation;
        if (!OperationNames.IsValid(name, limits.MaxOperationLength))
        {
            var shown = name.Length > 40 ? name[..40] + "…" : name;
            return ($"operation '{shown}' is not a valid name: use 1 to {limits.MaxOperationLength} letters, digits, '_', '-', '.' or ':', " +
                    $"for example one of {string.Join(", ", OperationKinds.All)} or a Claude Code tool name such as Bash or Edit", "validation_error", Verdict.Ask);
        }
        if (context.RawContext.ValueKind != JsonValueKind.Object)
        {
            var got = context.RawContext.ValueKind == JsonValueKind.Undefined ? "nothing" : context.RawContext.ValueKind.ToString().ToLowerInvariant();
            return ($"context must be a JSON object (got {got}), for example {{\"command\": \"ls -la\", \"cwd\": \"/repo\"}}", "validation_error", Verdict.Ask);
        }
        var shape = ContextShape.Inspect(context.RawContext, limits);
        if (shape.Exceeded is { } exceeded)
        {
            context.InputFlaws.Add($"{exceeded}: only a bounded prefix of each field was reviewed; send only the fields the decision needs (command, file_path, content, url, cwd)");
        }
        if (shape.InvalidText is { } invalid)
        {
            context.InputFlaws.Add(invalid);
        }
        if (context.OnlyPersonaId is { } only && context.Policy.FindPersona(only) is null)
        {
            var known = string.Join(", ", context.Policy.Personas.Select(p => p.Descriptor.Id));
            return ($"unknown persona '{only}': choose one of {known}", "unknown_persona", Verdict.Ask);
        }
        var operation = OperationNormalizer.Normalize(name, context.RawContext, out var error, truncate: shape.Exceeded is not null, flaws: context.InputFlaws);
        if (operation is null)
        {
            return (error!, "validation_error", Verdict.Ask);
        }
        context.Operation = operation;
        return null;
    }

    private static string SessionOf(DecisionContext context)
    {
        var fromContext = OperationNormalizer.Text(context.RawContext, "session_id");
        return fromContext.Length is > 0 and <= 200 ? fromContext : context.ConnectionSessionId;
    }
}
