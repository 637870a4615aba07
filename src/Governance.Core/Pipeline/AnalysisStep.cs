using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Analysis;
using Governance.Analysis.Paths;

namespace Governance.Core.Pipeline;

/// <summary>
/// Works out what the operation would really do (the commands a shell line runs, their effects and the classified
/// paths) before anything judges it: every plugin, persona and rule reads the same analysis.
/// </summary>
public sealed class AnalysisStep : IDecisionStep
{
    public string Name => "analysis";

    public ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        var operation = context.Operation!;
        var scope = AnalysisScope.Create(operation.Cwd, operation.Workspace, context.Policy.Analysis, context.Policy.Root);
        var analysis = OperationAnalyzer.Analyze(operation, scope);
        context.Operation = As(operation, analysis.Equivalent) with { Analysis = analysis, Facts = WithAnalysisFacts(operation.Facts, analysis) };
        return next(context);
    }

    // A catalogued MCP tool that is one built-in operation (kubectl_delete is a kubectl command, write_file a file
    // write) is judged as that operation by every persona and rule; its name stays the tool's.
    private static Operation As(Operation operation, ToolEquivalent? equivalent) => equivalent is null ? operation : operation with
    {
        Kind = equivalent.Kind,
        Command = equivalent.Command,
        FilePath = equivalent.FilePath.Length > 0 ? equivalent.FilePath : operation.FilePath,
        Content = equivalent.FilePath.Length > 0 ? equivalent.Content : operation.Content,
        OldContent = equivalent.FilePath.Length > 0 ? "" : operation.OldContent,
        Url = equivalent.Url.Length > 0 ? equivalent.Url : operation.Url,
    };

    // The decision shows what the server understood ("effects": "delete[recursive,force] /home/dev"), so a verdict can be explained.
    private static IReadOnlyDictionary<string, string> WithAnalysisFacts(IReadOnlyDictionary<string, string> facts, OperationAnalysis analysis)
    {
        if (analysis.Effects.Count == 0)
        {
            return facts;
        }
        var withAnalysis = new Dictionary<string, string>(facts, StringComparer.Ordinal)
        {
            ["effects"] = string.Join("; ", analysis.Effects.Take(8).Select(e => e.ToString())),
        };
        if (analysis.IsOpaque)
        {
            withAnalysis["opaque"] = string.Join("; ", analysis.OpaqueReasons.Take(4));
        }
        return withAnalysis;
    }
}
