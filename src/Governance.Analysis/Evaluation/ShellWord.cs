namespace Governance.Analysis.Evaluation;

/// <summary>
/// One field of an evaluated command line. <see cref="Known"/> when its whole value was worked out statically; otherwise
/// <see cref="Text"/> holds what could be read, with the unknown parts as written in the source (<c>$x</c>, <c>$(…)</c>).
/// </summary>
public sealed record ShellWord(string Text, bool Known)
{
    public override string ToString() => Text;
}
