using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Definitions.McpTools;
using Governance.Definitions.Personas;
using Governance.Definitions.Rules;
using Microsoft.Extensions.Logging;

namespace Governance.Definitions.Loading;

/// <summary>
/// Builds a policy snapshot from the files of a pack: YAML personas, RulesEngine workflows (JSON or YAML), and
/// the built-in personas. Files that do not load are left out and reported; when no configured persona loads,
/// the built-ins serve alone and the snapshot says so.
/// </summary>
public sealed class PolicyLoader(IEnumerable<IPersona> builtInPersonas, TimeProvider time, ILogger<PolicyLoader> logger, IScriptLoader? scripts = null)
{
    private static readonly string[] PersonaExtensions = [".yaml", ".yml", ".csx"];
    private static readonly string[] RuleExtensions = [".json", ".yaml", ".yml"];

    public async Task<PolicySnapshot> LoadAsync(PolicySource source, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var report = new List<LoadProblems>();
        var files = new List<(string Relative, string Text)>();

        var personaFiles = Read(source.Root, source.PersonasPath, PersonaExtensions, report);
        var ruleFiles = Read(source.Root, source.RulesPath, RuleExtensions, report);
        var pluginFiles = Read(source.Root, source.PluginsPath, [".csx"], report);
        var catalogFiles = Read(source.Root, Path.Combine(source.RulesPath, McpCatalogLoader.Folder), [".yaml", ".yml"], report);
        files.AddRange(personaFiles.Select(f => (f.Relative, f.Text)));
        files.AddRange(ruleFiles.Select(f => (f.Relative, f.Text)));
        files.AddRange(pluginFiles.Select(f => (f.Relative, f.Text)));
        files.AddRange(catalogFiles.Select(f => (f.Relative, f.Text)));
        var analysis = source.Analysis with { McpTools = McpCatalogLoader.Build(catalogFiles, report) };

        // Compiling rule expressions is most of a cold start (a command hook starts a process per tool call): it runs
        // on another core while personas and scripts load. Its problems join the report after theirs, in file order.
        var ruleReport = new List<LoadProblems>();
        var ruleFileArray = ruleFiles.Select(f => (f.Relative, f.Text)).ToArray();
        var rulesLoading = Task.Run(() => RuleSetLoader.BuildAsync(ruleFileArray, ruleReport, cancellationToken), cancellationToken);

        var personas = new List<IPersona>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var builtIn in builtInPersonas)
        {
            personas.Add(builtIn);
            ids.Add(builtIn.Descriptor.Id);
        }
        var configured = 0;
        var scriptHashes = new List<string>();
        foreach (var (path, relative, text) in personaFiles)
        {
            var personaStarted = time.GetTimestamp();
            var problems = new LoadProblems(relative);
            report.Add(problems);
            var persona = path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase)
                ? await LoadScriptAsync(path, relative, text, problems, scriptHashes, persona: true, source.ScriptCapabilities, cancellationToken) is { } result ? result.Persona : null
                : YamlPersonaLoader.Load(path, relative, text, problems);
            if (persona is null)
            {
                continue;
            }
            if (!ids.Add(persona.Descriptor.Id))
            {
                problems.Add($"persona id '{persona.Descriptor.Id}' is already taken by another persona");
                continue;
            }
            var built = time.GetTimestamp();
            await WarmAsync(persona, relative, source, problems, cancellationToken);
            logger.LogDebug("Persona {Persona} from {File}: built in {BuildMs:0.0} ms, warmed in {WarmMs:0.0} ms", persona.Descriptor.Id, relative,
                time.GetElapsedTime(personaStarted, built).TotalMilliseconds, time.GetElapsedTime(built).TotalMilliseconds);
            if (!problems.Any)
            {
                personas.Add(persona);
                configured++;
            }
        }

        var personasLoaded = time.GetTimestamp();
        var enrichers = new List<Abstractions.Plugins.IContextEnricher>();
        var checks = new List<Abstractions.Plugins.IOperationCheck>();
        foreach (var (path, relative, text) in pluginFiles)
        {
            var problems = new LoadProblems(relative);
            report.Add(problems);
            if (await LoadScriptAsync(path, relative, text, problems, scriptHashes, persona: false, source.ScriptCapabilities, cancellationToken) is { } plugin)
            {
                if (plugin.Enricher is { } enricher)
                {
                    enrichers.Add(enricher);
                }
                if (plugin.Check is { } check)
                {
                    checks.Add(check);
                }
            }
        }

        var pluginsLoaded = time.GetTimestamp();
        var rules = await rulesLoading;
        report.AddRange(ruleReport);
        var errors = report.SelectMany(r => r.Errors).ToArray();
        foreach (var error in errors)
        {
            logger.LogError("Policy file not loaded: {PolicyError}", error.ToString());
        }

        var snapshot = new PolicySnapshot
        {
            Revision = Revision(files, source.Thresholds, analysis, source.ScriptCapabilities),
            Personas = personas,
            Rules = rules,
            Thresholds = source.Thresholds,
            Analysis = analysis,
            Enrichers = enrichers,
            Checks = checks,
            ScriptHashes = scriptHashes,
            LoadErrors = errors,
            CoreOnly = configured == 0,
            LoadedAt = time.GetUtcNow(),
            Root = Path.GetFullPath(source.Root),
            Files = files.Select(f => f.Relative).ToArray(),
        };
        if (snapshot.CoreOnly)
        {
            logger.LogWarning("No configured persona loaded from {PersonasPath}; the built-in core personas serve alone", source.PersonasPath);
        }
        logger.LogInformation("Policy {Revision} loaded: {PersonaCount} personas, {RuleCount} rules, {ErrorCount} load errors " +
            "in {ElapsedMs:0} ms (personas {PersonasMs:0}, plugins {PluginsMs:0}, rules {RulesMs:0})",
            snapshot.Revision, personas.Count, rules.Rules.Count, errors.Length, time.GetElapsedTime(started).TotalMilliseconds,
            time.GetElapsedTime(started, personasLoaded).TotalMilliseconds, time.GetElapsedTime(personasLoaded, pluginsLoaded).TotalMilliseconds,
            time.GetElapsedTime(pluginsLoaded).TotalMilliseconds);
        return snapshot;
    }

    private async Task<ScriptLoadResult?> LoadScriptAsync(string path, string relative, string text, LoadProblems problems,
        List<string> hashes, bool persona, ScriptCapabilities allowed, CancellationToken cancellationToken)
    {
        if (scripts is null)
        {
            problems.Add("C# scripts are not enabled in this host");
            return null;
        }
        var result = persona
            ? await scripts.LoadPersonaAsync(path, relative, text, allowed, cancellationToken)
            : await scripts.LoadPluginAsync(path, relative, text, allowed, cancellationToken);
        hashes.Add(result.ContentHash);
        foreach (var error in result.Errors)
        {
            problems.Add(error.Message, error.Line, error.Column);
        }
        return result.Errors.Count == 0 ? result : null;
    }

    /// <summary>
    /// Runs the persona once on a sample so its regexes and code are JIT-compiled before the first real request.
    /// A persona that throws on a sample is refused: that is a property of its code. One that is slow on a sample is
    /// kept and logged: the clock says as much about the machine as about the script, and a busy machine must not
    /// change which personas load. Its timeout still bounds every real decision.
    /// </summary>
    private async Task WarmAsync(IPersona persona, string relative, PolicySource source, LoadProblems problems, CancellationToken cancellationToken)
    {
        var timeout = persona.Descriptor.Timed ? persona.Descriptor.Timeout ?? source.Thresholds.PersonaTimeout : Timeout.InfiniteTimeSpan;
        var sample = RuleSetLoader.SampleOperation();
        try
        {
            foreach (var operation in WarmUpOperations)
            {
                sample = operation;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(timeout);
                try
                {
                    await Task.Run(async () =>
                    {
                        if (persona.IsRelevant(operation))
                        {
                            await persona.EvaluateAsync(operation, deadline.Token);
                        }
                    }, deadline.Token).WaitAsync(timeout, time, cancellationToken);
                }
                catch
                {
                    // Disposing the source would stop its timer unfired: cancel it, so a script still running stops.
                    await deadline.CancelAsync();
                    throw;
                }
            }
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Persona {Persona} from {File} did not answer a sample operation ({SampleKind} {SampleSubject}) within its timeout " +
                "of {TimeoutMs:0} ms while warming; it is kept, and its timeout bounds each decision", persona.Descriptor.Id, relative, sample.Kind,
                sample.Subject, timeout.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add($"the persona failed on a sample operation ({sample.Kind} {sample.Subject}): {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>One plain operation of each common kind, so every check's regexes are compiled before real traffic.</summary>
    private static readonly Operation[] WarmUpOperations =
    [
        RuleSetLoader.SampleOperation(),
        new() { Kind = OperationKinds.FileEdit, Name = "Edit", ToolName = "Edit", FilePath = "src/app.py", OldContent = "a = 1", Content = "a = 2", Cwd = "/workspace" },
        new() { Kind = OperationKinds.FileWrite, Name = "Write", ToolName = "Write", FilePath = "docs/notes.md", Content = "# Notes", Cwd = "/workspace" },
        new() { Kind = OperationKinds.FileRead, Name = "Read", ToolName = "Read", FilePath = "README.md", Cwd = "/workspace" },
        new() { Kind = OperationKinds.NetworkRequest, Name = "WebFetch", ToolName = "WebFetch", Url = "https://example.org/" },
    ];

    private static List<(string Path, string Relative, string Text)> Read(string root, string directory, string[] extensions, List<LoadProblems> report)
    {
        var result = new List<(string, string, string)>();
        if (!Directory.Exists(directory))
        {
            return result;
        }
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (PackFileTrust.Problem(path) is { } untrusted)
            {
                var refused = new LoadProblems(relative);
                refused.Add("not loaded: " + untrusted);
                report.Add(refused);
                continue;
            }
            try
            {
                result.Add((path, relative, File.ReadAllText(path, Encoding.UTF8)));
            }
            catch (IOException ex)
            {
                var problems = new LoadProblems(relative);
                problems.Add($"cannot read the file: {ex.Message}");
                report.Add(problems);
            }
        }
        return result;
    }

    /// <summary>SHA-256 over every file's name and content, the thresholds and the protected branches: any change gives a new revision.</summary>
    // The grants are part of the revision: the same files can load a different set of scripts under other grants.
    private static string Revision(List<(string Relative, string Text)> files, PolicyThresholds thresholds, AnalysisSettings analysis,
        ScriptCapabilities scriptCapabilities)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (relative, text) in files.OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{thresholds.ComplianceLevel}|{thresholds.DenyConfidence}|{thresholds.AskConfidence}|{thresholds.Mode}|{thresholds.PersonaTimeout.TotalMilliseconds}|{string.Join(',', analysis.ProtectedBranches)}|{scriptCapabilities}")));
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
