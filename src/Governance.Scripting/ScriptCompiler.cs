using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Governance.Abstractions.Policy;
using Governance.Scripting.Containment;

namespace Governance.Scripting;

/// <summary>
/// Compiles C# scripts with Roslyn and runs them once in a collectible AssemblyLoadContext per content hash.
/// Roslyn's own runner loads every compilation into the default context, where it can never be unloaded;
/// emitting the submission ourselves and invoking its factory keeps each version unloadable. With an
/// <see cref="ScriptImageCache"/> an unchanged script is loaded from its stored image without compiling.
/// Every image is checked and budgeted by <see cref="ScriptEmitter"/>; the top-level run is budgeted here.
/// </summary>
internal sealed class ScriptCompiler(ScriptImageCache? imageCache = null, ScriptLimits? limits = null)
{
    private readonly ScriptLimits _limits = limits ?? new ScriptLimits();

    private readonly Dictionary<string, CompiledScript> _compiled = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _compiledFromSource;
    private int _loadedFromCache;

    /// <summary>Scripts Roslyn compiled in this process.</summary>
    public int CompiledFromSource => Volatile.Read(ref _compiledFromSource);

    /// <summary>Scripts loaded from the on-disk image cache without compiling.</summary>
    public int LoadedFromCache => Volatile.Read(ref _loadedFromCache);

    /// <summary>Set when the image cache could not be written (the reason); compiling still worked.</summary>
    public string? CacheProblem { get; private set; }

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

    public ScriptLimits Limits => _limits;

    /// <summary>
    /// The key of a compiled script: its name, content and grants. An image compiled with file_io or network was checked
    /// against those grants, so it is never reused once they are withdrawn (nor the other way round).
    /// </summary>
    public static string HashOf(string displayName, string text, ScriptCapabilities allowed = ScriptCapabilities.None) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(displayName + "\0" + text + "\0" + Grants(allowed))))[..32].ToLowerInvariant();

    private static string Grants(ScriptCapabilities allowed) => allowed == ScriptCapabilities.None ? "" : "allow:" + (int)allowed;

    /// <summary>Compiles and runs the script, or returns the cached result for the same name, content and grants.</summary>
    public async Task<(CompiledScript? Script, IReadOnlyList<PolicyLoadError> Errors)> CompileAsync(
        string displayName, string text, ScriptKind kind, ScriptCapabilities allowed, CancellationToken cancellationToken)
    {
        var hash = HashOf(displayName, text, allowed);
        lock (_gate)
        {
            if (_compiled.TryGetValue(hash, out var cached))
            {
                return (cached, []);
            }
        }

        var cachedImage = imageCache?.TryRead(hash);
        if (cachedImage is not null && TryLoadFactory(displayName, hash, cachedImage) is { } fromCache)
        {
            Interlocked.Increment(ref _loadedFromCache);
            return await RunAsync(displayName, hash, fromCache.Context, fromCache.Factory, cancellationToken);
        }

        var image = ScriptEmitter.Emit(displayName, text, kind, allowed, cancellationToken);
        if (image.Bytes is null)
        {
            return (null, image.Errors);
        }
        Interlocked.Increment(ref _compiledFromSource);
        if (imageCache is not null && !imageCache.TryWrite(hash, image, out var problem))
        {
            CacheProblem = $"compiled scripts cannot be cached in {imageCache.Directory} ({problem}); every start compiles them again";
        }
        var loaded = TryLoadFactory(displayName, hash, image)
            ?? throw new InvalidOperationException($"the compiled image of {displayName} has no entry point {image.EntryType}.{image.EntryMethod}");
        return await RunAsync(displayName, hash, loaded.Context, loaded.Factory, cancellationToken);
    }

    /// <summary>Loads the image into a new collectible context; null when it is unusable (a damaged cache file).</summary>
    private static (AssemblyLoadContext Context, MethodInfo Factory)? TryLoadFactory(string displayName, string hash, ScriptImage image)
    {
        var context = new AssemblyLoadContext($"script {displayName} {hash[..8]}", isCollectible: true);
        try
        {
            using var stream = new MemoryStream(image.Bytes!, writable: false);
            var assembly = context.LoadFromStream(stream);
            var factory = assembly.GetType(image.EntryType, throwOnError: false)
                ?.GetMethod(image.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            if (factory is not null)
            {
                return (context, factory);
            }
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or TypeLoadException)
        {
            // A damaged or foreign cache file is a cache miss: the caller compiles and overwrites it.
        }
        context.Unload();
        return null;
    }

    private async Task<(CompiledScript? Script, IReadOnlyList<PolicyLoadError> Errors)> RunAsync(string displayName, string hash,
        AssemblyLoadContext context, MethodInfo factory, CancellationToken cancellationToken)
    {
        object? result;
        var timeout = _limits.RunTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // The run is budgeted like an evaluation: a top level that spins is stopped by its own compiled-in checks, so
            // neither this call nor a thread left behind keeps running. The run lasts until the top level's task ends.
            using var run = ScriptBudget.Enter($"the script {displayName}", _limits.MemoryPerRun, deadline.Token);
            // A script's factory takes the submission array: slot 0 for globals (none here), one slot per submission.
            var task = (Task<object>)factory.Invoke(null, [new object?[2]])!;
            result = await task.WaitAsync(timeout, cancellationToken);
            run.ThrowIfExceeded();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await deadline.CancelAsync(); // a top level still running (after an await) sees its deadline and stops
            context.Unload();
            var inner = ex is TargetInvocationException { InnerException: { } cause } ? cause : ex;
            var message = inner is TimeoutException
                ? $"the script did not finish within {timeout.TotalSeconds:0} s; its top level must only build and return its definition"
                : $"the script threw {inner.GetType().Name}: {inner.Message}";
            return (null, [new PolicyLoadError(displayName, 0, 0, message)]);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            context.Unload();
            throw new OperationCanceledException(cancellationToken);
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
}
