using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Governance.Scripting;

/// <summary>
/// Compiles C# scripts with Roslyn and runs them once in a collectible AssemblyLoadContext per content hash.
/// Roslyn's own runner loads every compilation into the default context, where it can never be unloaded;
/// emitting the submission ourselves and invoking its factory keeps each version unloadable.
/// </summary>
internal sealed class ScriptCompiler
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.Json", "System.Text.RegularExpressions",
        "System.Threading", "Governance.Abstractions.Decisions", "Governance.Abstractions.Personas", "Governance.Scripting",
    ];

    private readonly ScriptOptions _options = ScriptOptions.Default
        .WithReferences(ReferenceAssemblies())
        .WithImports(Imports)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithEmitDebugInformation(false)
        .WithAllowUnsafe(false);

    private readonly Dictionary<string, CompiledScript> _compiled = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int LoadedCount
    {
        get
        {
            lock (_gate)
            {
                return _compiled.Count;
            }
        }
    }

    public static string HashOf(string displayName, string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(displayName + "\0" + text)))[..32].ToLowerInvariant();

    /// <summary>Compiles and runs the script, or returns the cached result for the same name and content.</summary>
    public async Task<(CompiledScript? Script, IReadOnlyList<PolicyLoadError> Errors)> CompileAsync(
        string displayName, string text, CancellationToken cancellationToken)
    {
        var hash = HashOf(displayName, text);
        lock (_gate)
        {
            if (_compiled.TryGetValue(hash, out var cached))
            {
                return (cached, []);
            }
        }

        var script = CSharpScript.Create<object>(text, _options.WithFilePath(displayName));
        var compilation = script.GetCompilation();
        var errors = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => ToError(displayName, d))
            .ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            return (null, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => ToError(displayName, d)).ToList());
        }
        image.Position = 0;

        var context = new AssemblyLoadContext($"script {displayName} {hash[..8]}", isCollectible: true);
        object? result;
        try
        {
            var assembly = context.LoadFromStream(image);
            var entryPoint = compilation.GetEntryPoint(cancellationToken)
                ?? throw new InvalidOperationException("the script has no entry point");
            var type = assembly.GetType(entryPoint.ContainingType.MetadataName, throwOnError: true)!;
            var factory = type.GetMethod(entryPoint.MetadataName, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
            // A script's factory takes the submission array: slot 0 for globals (none here), one slot per submission.
            var run = (Task<object>)factory.Invoke(null, [new object?[2]])!;
            result = await run.WaitAsync(RunTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Unload();
            var inner = ex is TargetInvocationException { InnerException: { } cause } ? cause : ex;
            var message = inner is TimeoutException
                ? $"the script did not finish within {RunTimeout.TotalSeconds:0} s; its top level must only build and return its definition"
                : $"the script threw {inner.GetType().Name}: {inner.Message}";
            return (null, [new PolicyLoadError(displayName, 0, 0, message)]);
        }

        var compiled = new CompiledScript(hash, context, result);
        lock (_gate)
        {
            _compiled[hash] = compiled;
        }
        return (compiled, []);
    }

    /// <summary>Forgets every compiled script not in <paramref name="keep"/> and unloads its load context.</summary>
    public void Retain(IReadOnlyCollection<string> keep)
    {
        List<CompiledScript> released;
        lock (_gate)
        {
            released = _compiled.Values.Where(c => !keep.Contains(c.Hash)).ToList();
            foreach (var script in released)
            {
                _compiled.Remove(script.Hash);
            }
        }
        foreach (var script in released)
        {
            // Unload completes once nothing references the context's types: the old snapshot and any decision
            // still running on it. In-flight requests finish safely first.
            script.Context.Unload();
        }
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
