using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Validation;

namespace Governance.Core.Pipeline;

/// <summary>
/// Checks the operation name and the context (a JSON object within size and depth bounds), maps the name to a
/// kind and builds the normalised operation. A bad request is settled here with an error naming what to fix.
/// </summary>
public sealed class ValidationStep(RequestLimits limits) : IDecisionStep
{
    public string Name => "validate";

    public ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        context.SessionId = SessionOf(context);
        if (Check(context) is { } problem)
        {
            context.Decision = Rejection.For(context, problem.Message, problem.Code);
        }
        return next(context);
    }

    private (string Message, string Code)? Check(DecisionContext context)
    {
        if (context.InputError is { } inputError)
        {
            return (inputError, "validation_error");
        }
        var name = context.RawOperation;
        if (!OperationNames.IsValid(name, limits.MaxOperationLength))
        {
            var shown = name.Length > 40 ? name[..40] + "…" : name;
            return ($"operation '{shown}' is not a valid name: use 1 to {limits.MaxOperationLength} letters, digits, '_', '-', '.' or ':', " +
                    $"for example one of {string.Join(", ", OperationKinds.All)} or a Claude Code tool name such as Bash or Edit", "validation_error");
        }
        if (context.RawContext.ValueKind != JsonValueKind.Object)
        {
            var got = context.RawContext.ValueKind == JsonValueKind.Undefined ? "nothing" : context.RawContext.ValueKind.ToString().ToLowerInvariant();
            return ($"context must be a JSON object (got {got}), for example {{\"command\": \"ls -la\", \"cwd\": \"/repo\"}}", "validation_error");
        }
        if (ContextShape.Exceeds(context.RawContext, limits) is { } exceeded)
        {
            return ($"{exceeded}: send only the fields the decision needs (command, file_path, content, url, cwd)", "validation_error");
        }
        if (context.OnlyPersonaId is { } only && context.Policy.FindPersona(only) is null)
        {
            var known = string.Join(", ", context.Policy.Personas.Select(p => p.Descriptor.Id));
            return ($"unknown persona '{only}': choose one of {known}", "unknown_persona");
        }
        var operation = OperationNormalizer.Normalize(name, context.RawContext, out var error);
        if (operation is null)
        {
            return (error!, "validation_error");
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
