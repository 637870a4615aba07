namespace Governance.Core.Analysis;

/// <summary>A lexed word, operator or redirection; words keep their unquoted text and the code they substitute.</summary>
internal sealed class ShellToken
{
    public required ShellTokenKind Kind { get; init; }

    // Word: text with quotes removed (substitutions kept verbatim); Operator: the operator; Redirection: the operator.
    public required string Text { get; init; }

    public string Raw { get; init; } = "";

    // True when an unquoted or double-quoted $NAME/${...}/$(...)/`...` makes the value unknown statically.
    public bool HasExpansion { get; init; }

    public bool IsQuoted { get; init; }

    public List<string>? Substitutions { get; set; }

    public int? FileDescriptor { get; init; }

    public ShellToken? Target { get; init; }

    public string? HeredocBody { get; set; }

    public bool HeredocQuoted { get; init; }

    public bool StripTabs { get; init; }
}
