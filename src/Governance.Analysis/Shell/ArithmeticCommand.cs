namespace Governance.Analysis.Shell;

/// <summary><c>(( expression ))</c>.</summary>
public sealed record ArithmeticCommand(ArithmeticExpansionPart Expression) : ShellCommand;
