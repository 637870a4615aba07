using System.Text.Json;
using Governance.Abstractions.Decisions;

namespace Governance.Server.PolicyTesting;

/// <summary>One labelled case of a policy corpus: an operation, its context and the verdict a careful reviewer would give.</summary>
internal sealed record CorpusCase(
    string File,
    int Line,
    string Operation,
    JsonElement Context,
    Verdict Expected,
    string Category,
    string Family,
    string Note)
{
    public bool IsDangerous => Expected != Verdict.Allow;

    /// <summary>Stable identity across edits of other lines: file and what the case does.</summary>
    public string Key { get; init; } = "";

    public string Where => $"{File}:{Line}";
}
