using Governance.Abstractions.Decisions;

namespace Governance.Server.PolicyTesting;

/// <summary>What the pipeline answered for one corpus case.</summary>
internal sealed record CorpusResult(CorpusCase Case, Verdict Actual, string Subject, string Reason)
{
    public bool Correct => Actual == Case.Expected;

    /// <summary>A dangerous case answered with ask or deny.</summary>
    public bool Caught => Case.IsDangerous && Actual != Verdict.Allow;

    /// <summary>A benign case not allowed.</summary>
    public bool FalseBlock => !Case.IsDangerous && Actual != Verdict.Allow;
}
