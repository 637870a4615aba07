using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Plugins;
using Governance.Abstractions.Policy;
using Governance.Core.Personas;
using Microsoft.Extensions.Logging;

namespace Governance.Scripting;

/// <summary>
/// Loads <c>personas/*.csx</c> and <c>plugins/*.csx</c>: compiles each once per content hash into a collectible
/// load context, validates the definition it returns like YAML metadata, and wraps it in the common contracts.
/// Scripts are contained: APIs that could end, crash or stall the server are load errors, and every loop, method and
/// lambda carries a budget check that stops it at its deadline or memory budget.
/// </summary>
public sealed class RoslynScriptLoader(ILogger<RoslynScriptLoader> logger, ScriptImageCache? imageCache = null, ScriptLimits? limits = null) : IScriptLoader
{
    private readonly ScriptCompiler _compiler = new(imageCache, limits);
    private int _cacheProblemLogged;

    /// <summary>How many compiled scripts are loaded now (for tests and reports).</summary>
    public int LoadedScripts => _compiler.LoadedCount;

    /// <summary>Scripts Roslyn compiled in this process (0 when every script came from the image cache).</summary>
    public int CompiledFromSource => _compiler.CompiledFromSource;

    /// <summary>Scripts loaded from the on-disk image cache.</summary>
    public int LoadedFromCache => _compiler.LoadedFromCache;

    /// <summary>Compiles a trivial script so Roslyn's first real compile is not a multi-second stall.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var text = "return new PersonaScript { Id = \"warm-up\", Name = \"warm-up\", Evaluate = (op, ct) => Verdicts.Allow(1, \"ok\") };";
        var (script, _) = await _compiler.CompileAsync("warm-up.csx", text, ScriptKind.Persona, ScriptCapabilities.None, cancellationToken);
        if (script is not null)
        {
            _compiler.Retain(Array.Empty<string>());
        }
        logger.LogInformation("Script compiler warmed in {ElapsedMs:0} ms", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<(CompiledScript? Script, IReadOnlyList<PolicyLoadError> Errors)> CompileAsync(string displayName, string text,
        ScriptKind kind, ScriptCapabilities allowed, CancellationToken cancellationToken)
    {
        var compiled = await _compiler.CompileAsync(displayName, text, kind, allowed, cancellationToken);
        if (_compiler.CacheProblem is { } problem && Interlocked.Exchange(ref _cacheProblemLogged, 1) == 0)
        {
            logger.LogWarning("{Problem}", problem);
        }
        return compiled;
    }

    /// <summary>Loads a persona script with no grants (file and network I/O refused).</summary>
    public Task<ScriptLoadResult> LoadPersonaAsync(string path, string displayName, string text, CancellationToken cancellationToken) =>
        LoadPersonaAsync(path, displayName, text, ScriptCapabilities.None, cancellationToken);

    /// <summary>Loads a plugin script with no grants (file and network I/O refused).</summary>
    public Task<ScriptLoadResult> LoadPluginAsync(string path, string displayName, string text, CancellationToken cancellationToken) =>
        LoadPluginAsync(path, displayName, text, ScriptCapabilities.None, cancellationToken);

    public async Task<ScriptLoadResult> LoadPersonaAsync(string path, string displayName, string text, ScriptCapabilities allowed,
        CancellationToken cancellationToken)
    {
        var (compiled, errors) = await CompileAsync(displayName, text, ScriptKind.Persona, allowed, cancellationToken);
        var hash = ScriptCompiler.HashOf(displayName, text, allowed);
        if (compiled is null)
        {
            return new ScriptLoadResult { ContentHash = hash, Errors = errors };
        }
        if (compiled.Result is not PersonaScript definition)
        {
            return Failed(hash, displayName, $"a persona script must end with `return new PersonaScript {{ ... }};` (it returned {Describe(compiled.Result)})");
        }
        var problems = new List<string>();
        CheckId(definition.Id, path, problems);
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            problems.Add("Name is required");
        }
        if (definition.Weight is <= 0 or > 10)
        {
            problems.Add($"Weight {definition.Weight} must be greater than 0 and at most 10");
        }
        if (definition.TimeoutMs is { } timeout && timeout is < 1 or > 60_000)
        {
            problems.Add($"TimeoutMs {timeout} must be between 1 and 60000");
        }
        var triggers = PersonaTriggers.Create(definition.Triggers.Operations, definition.Triggers.Commands, definition.Triggers.Paths,
            definition.Triggers.Urls, "Triggers", problems);
        if (problems.Count > 0)
        {
            return new ScriptLoadResult { ContentHash = hash, Errors = problems.Select(p => new PolicyLoadError(displayName, 0, 0, p)).ToArray() };
        }
        var descriptor = new PersonaDescriptor
        {
            Id = definition.Id,
            Name = definition.Name,
            Expertise = definition.Expertise,
            Description = definition.Description,
            Weight = definition.Weight,
            Timed = true,
            Timeout = definition.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Source = "script",
            Origin = displayName,
            TriggerKinds = triggers.Kinds?.Order(StringComparer.Ordinal).ToArray() ?? [],
        };
        return new ScriptLoadResult { ContentHash = hash, Persona = new ScriptedPersona(descriptor, triggers, definition.Evaluate, _compiler.Limits) };
    }

    public async Task<ScriptLoadResult> LoadPluginAsync(string path, string displayName, string text, ScriptCapabilities allowed,
        CancellationToken cancellationToken)
    {
        var (compiled, errors) = await CompileAsync(displayName, text, ScriptKind.Plugin, allowed, cancellationToken);
        var hash = ScriptCompiler.HashOf(displayName, text, allowed);
        if (compiled is null)
        {
            return new ScriptLoadResult { ContentHash = hash, Errors = errors };
        }
        if (compiled.Result is not PluginScript definition)
        {
            return Failed(hash, displayName, $"a plugin script must end with `return new PluginScript {{ ... }};` (it returned {Describe(compiled.Result)})");
        }
        var problems = new List<string>();
        CheckId(definition.Id, path, problems);
        if (definition.Enrich is null && definition.Check is null)
        {
            problems.Add("a plugin needs Enrich (a context enricher), Check (an extra check), or both");
        }
        if (problems.Count > 0)
        {
            return new ScriptLoadResult { ContentHash = hash, Errors = problems.Select(p => new PolicyLoadError(displayName, 0, 0, p)).ToArray() };
        }
        var descriptor = new PluginDescriptor
        {
            Id = definition.Id,
            Name = definition.Name.Length > 0 ? definition.Name : definition.Id,
            Description = definition.Description,
            Kind = (definition.Enrich, definition.Check) switch
            {
                (not null, not null) => "enricher+check",
                (not null, null) => "enricher",
                _ => "check",
            },
            Origin = displayName,
        };
        return new ScriptLoadResult
        {
            ContentHash = hash,
            Enricher = definition.Enrich is { } enrich ? new ScriptedEnricher(descriptor, enrich, _compiler.Limits) : null,
            Check = definition.Check is { } check ? new ScriptedCheck(descriptor, check, _compiler.Limits) : null,
        };
    }

    public void Retain(IReadOnlyCollection<string> contentHashes) => _compiler.Retain(contentHashes);

    private static void CheckId(string? id, string path, List<string> problems)
    {
        var expected = Path.GetFileNameWithoutExtension(path);
        if (!ContractText.IsKebabCase(id))
        {
            problems.Add($"Id '{id}' must be kebab-case (lowercase letters, digits and single dashes)");
        }
        else if (id != expected)
        {
            problems.Add($"Id '{id}' must equal the file name '{expected}'");
        }
    }

    private static ScriptLoadResult Failed(string hash, string displayName, string message) =>
        new() { ContentHash = hash, Errors = [new PolicyLoadError(displayName, 0, 0, message)] };

    private static string Describe(object? result) => result is null ? "nothing" : result.GetType().Name;
}
