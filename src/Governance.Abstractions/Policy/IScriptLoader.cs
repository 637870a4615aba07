namespace Governance.Abstractions.Policy;

/// <summary>
/// Compiles C# script personas and plugins for the policy loader. Implemented by Governance.Scripting; the
/// loader does not know how scripts are compiled, only what they yield.
/// </summary>
public interface IScriptLoader
{
    /// <summary>Compiles a persona script; <paramref name="allowed"/> is what governance.scripts.allow grants it.</summary>
    Task<ScriptLoadResult> LoadPersonaAsync(string path, string displayName, string text, ScriptCapabilities allowed, CancellationToken cancellationToken);

    /// <summary>Compiles a plugin script; <paramref name="allowed"/> is what governance.scripts.allow grants it.</summary>
    Task<ScriptLoadResult> LoadPluginAsync(string path, string displayName, string text, ScriptCapabilities allowed, CancellationToken cancellationToken);

    /// <summary>Keeps the compiled scripts of these content hashes and releases (unloads) every other one.</summary>
    void Retain(IReadOnlyCollection<string> contentHashes);
}
