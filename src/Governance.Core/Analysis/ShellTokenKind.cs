namespace Governance.Core.Analysis;

internal enum ShellTokenKind
{
    Word,
    Operator,
    Redirection,
}
