namespace Governance.Analysis.Shell;

/// <summary><c>name() body</c> or <c>function name body</c>: defines, does not run, the body.</summary>
public sealed record FunctionDefinition(string Name, ShellCommand Body) : ShellCommand;
