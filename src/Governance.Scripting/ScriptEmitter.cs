using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.Scripting.Containment;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Governance.Scripting;

/// <summary>
/// The only place Roslyn is touched: compiles a script to an assembly image. Kept apart from
/// <see cref="ScriptCompiler"/> so a process whose scripts all come from the on-disk cache never loads the compiler.
/// A script is checked for APIs it may not use (<see cref="ContainmentCheck"/>) and compiled with budget checks
/// woven in (<see cref="BudgetRewriter"/>); an image is only ever produced from a checked, budgeted tree.
/// </summary>
internal static class ScriptEmitter
{
    private static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.Json", "System.Text.RegularExpressions",
        "System.Threading", "Governance.Abstractions.Decisions", "Governance.Abstractions.Personas", "Governance.Scripting",
    ];

    private static readonly Lazy<ScriptOptions> Options = new(() => ScriptOptions.Default
        .WithReferences(ReferenceAssemblies())
        .WithImports(Imports)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithEmitDebugInformation(false)
        .WithAllowUnsafe(false)
        .WithMetadataResolver(new FrameworkOnlyResolver(ScriptMetadataResolver.Default))
        .WithSourceResolver(NoSourceResolver.Instance));

    /// <summary>The image and its entry point, or the compile and containment errors with file, line and column.</summary>
    public static ScriptImage Emit(string displayName, string text, ScriptKind kind, ScriptCapabilities allowed, CancellationToken cancellationToken)
    {
        var script = CSharpScript.Create<object>(text, Options.Value.WithFilePath(displayName));
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        var errors = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => ToError(displayName, d))
            .Concat(ContainmentCheck.Find(displayName, compilation, tree, kind, allowed, cancellationToken))
            .ToList();
        if (errors.Count > 0)
        {
            return ScriptImage.Failed(errors);
        }
        var budgeted = compilation.ReplaceSyntaxTree(tree, BudgetRewriter.Rewrite(tree, compilation.GetSemanticModel(tree), cancellationToken));
        using var image = new MemoryStream();
        var emitted = budgeted.Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            // The script compiled as written, so this is the budget rewriter's fault: say so rather than blame the author.
            return ScriptImage.Failed(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => ToError(displayName, d) is var e ? e with { Message = "the server could not add its budget checks to this script: " + e.Message } : e)
                .ToList());
        }
        var entryPoint = budgeted.GetEntryPoint(cancellationToken)
            ?? throw new InvalidOperationException("the script has no entry point");
        return new ScriptImage(image.ToArray(), entryPoint.ContainingType.MetadataName, entryPoint.MetadataName, []);
    }

    private static PolicyLoadError ToError(string displayName, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return new PolicyLoadError(displayName, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
            $"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private static ImmutableArray<Assembly> ReferenceAssemblies() =>
    [
        typeof(object).Assembly,
        Assembly.Load(new AssemblyName("System.Runtime")),
        Assembly.Load(new AssemblyName("System.Collections")),
        Assembly.Load(new AssemblyName("netstandard")),
        typeof(Enumerable).Assembly,
        typeof(Regex).Assembly,
        typeof(JsonDocument).Assembly,
        typeof(Operation).Assembly,
        typeof(PersonaScript).Assembly,
        typeof(Core.Personas.PersonaTriggers).Assembly,
    ];
}
