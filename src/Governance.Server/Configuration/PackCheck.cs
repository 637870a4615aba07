namespace Governance.Server.Configuration;

/// <summary>
/// Before a command serves decisions: the policy root must hold a pack. A wrong or empty --root would otherwise leave
/// only the built-in safety net, which answers "none objected" to nearly everything.
/// </summary>
internal static class PackCheck
{
    private static readonly string[] PersonaExtensions = [".yaml", ".yml", ".csx"];

    /// <exception cref="ConfigurationException">The root has no persona files; the message names the folder.</exception>
    public static void Verify(GovernanceSettings settings)
    {
        var personas = settings.Policy.PersonasPath;
        if (!Directory.Exists(personas))
        {
            throw new ConfigurationException($"the policy root '{settings.Root}' has no personas folder ('{personas}' does not exist); " +
                "point --root (or the configuration's folder) at a pack with personas/, rules/ and plugins/ — the published folder holds the default pack");
        }
        if (!Directory.EnumerateFiles(personas).Any(f => PersonaExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)))
        {
            throw new ConfigurationException($"the personas folder '{personas}' holds no persona files (*.yaml, *.yml, *.csx); " +
                "governance will not run on its built-in safety net alone — add personas or point --root at a full pack");
        }
    }
}
