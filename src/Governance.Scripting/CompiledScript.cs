using System.Runtime.Loader;

namespace Governance.Scripting;

/// <summary>A script compiled into its own collectible load context, and the object its run returned.</summary>
internal sealed class CompiledScript(string hash, AssemblyLoadContext context, object? result)
{
    public string Hash { get; } = hash;
    public AssemblyLoadContext Context { get; } = context;
    public object? Result { get; } = result;
}
