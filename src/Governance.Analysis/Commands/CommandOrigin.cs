using Governance.Analysis.Shell;
namespace Governance.Analysis.Commands;

/// <summary>How a command found by <see cref="ShellCommandAnalyzer"/> comes to be executed.</summary>
public enum CommandOrigin
{
    Direct,
    Pipeline,
    Subshell,
    Group,
    Substitution,
    ShellReentry,
    Eval,
    FindExec,
    Xargs,
    Decoded,
    Interpreter,
}
