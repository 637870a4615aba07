namespace Governance.Analysis.Shell;

/// <summary>
/// A redirection: an optional file descriptor (<c>2&gt;</c>) or descriptor variable (<c>{fd}&gt;</c>), the operator and its
/// target word. For a here-document the target is the delimiter and <see cref="HeredocBody"/> the text up to it
/// (expansions parsed unless the delimiter was quoted).
/// </summary>
public sealed record Redirect(int? FileDescriptor, string? DescriptorVariable, RedirectOperator Operator, Word Target) : ShellNode
{
    public Word? HeredocBody { get; internal set; }

    public bool IsHeredoc => Operator is RedirectOperator.Heredoc or RedirectOperator.HeredocStripTabs;
}
