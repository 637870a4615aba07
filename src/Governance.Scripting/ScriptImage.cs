using Governance.Abstractions.Policy;

namespace Governance.Scripting;

/// <summary>A compiled script: its assembly bytes and the submission factory to invoke, or why it did not compile.</summary>
internal sealed record ScriptImage(byte[]? Bytes, string EntryType, string EntryMethod, IReadOnlyList<PolicyLoadError> Errors)
{
    public static ScriptImage Failed(IReadOnlyList<PolicyLoadError> errors) => new(null, "", "", errors);
}
