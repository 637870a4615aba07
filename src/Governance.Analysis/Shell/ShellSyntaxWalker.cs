namespace Governance.Analysis.Shell;

/// <summary>
/// Visits every node of a syntax tree in source order, substitutions and here-documents included. Recursion is as deep
/// as the tree, which the parser caps at <see cref="ShellParser.MaxDepth"/> levels.
/// </summary>
public static class ShellSyntaxWalker
{
    /// <summary>Every simple command in the tree, in the order they start in the source.</summary>
    public static IReadOnlyList<SimpleCommand> SimpleCommands(ShellNode root)
    {
        var found = new List<SimpleCommand>();
        Walk(root, node =>
        {
            if (node is SimpleCommand command)
            {
                found.Add(command);
            }
        });
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    /// <summary>Calls <paramref name="visit"/> on the node and then on each node below it.</summary>
    public static void Walk(ShellNode node, Action<ShellNode> visit)
    {
        visit(node);
        foreach (var child in Children(node))
        {
            Walk(child, visit);
        }
    }

    private static IEnumerable<ShellNode> Children(ShellNode node)
    {
        if (node is ShellCommand { Redirects.Count: > 0 } redirected && node is not SimpleCommand)
        {
            foreach (var redirect in redirected.Redirects)
            {
                yield return redirect;
            }
        }
        switch (node)
        {
            case CommandList list:
                foreach (var item in list.Items)
                {
                    yield return item;
                }
                break;
            case ListItem item:
                yield return item.Command;
                break;
            case AndOrList andOr:
                foreach (var pipeline in andOr.Pipelines)
                {
                    yield return pipeline;
                }
                break;
            case Pipeline pipeline:
                foreach (var command in pipeline.Commands)
                {
                    yield return command;
                }
                break;
            case SimpleCommand simple:
                foreach (var assignment in simple.Assignments)
                {
                    yield return assignment;
                }
                foreach (var word in simple.Words)
                {
                    yield return word;
                }
                foreach (var redirect in simple.Redirects)
                {
                    yield return redirect;
                }
                break;
            case Subshell subshell:
                yield return subshell.Body;
                break;
            case BraceGroup group:
                yield return group.Body;
                break;
            case IfCommand ifCommand:
                foreach (var branch in ifCommand.Branches)
                {
                    yield return branch;
                }
                if (ifCommand.Else is { } otherwise)
                {
                    yield return otherwise;
                }
                break;
            case IfBranch branch:
                yield return branch.Condition;
                yield return branch.Body;
                break;
            case LoopCommand loop:
                yield return loop.Condition;
                yield return loop.Body;
                break;
            case ForCommand forCommand:
                foreach (var word in forCommand.Items ?? [])
                {
                    yield return word;
                }
                yield return forCommand.Body;
                break;
            case ArithmeticForCommand arithmeticFor:
                yield return arithmeticFor.Initializer;
                yield return arithmeticFor.Condition;
                yield return arithmeticFor.Step;
                yield return arithmeticFor.Body;
                break;
            case CaseCommand caseCommand:
                yield return caseCommand.Subject;
                foreach (var caseItem in caseCommand.Items)
                {
                    yield return caseItem;
                }
                break;
            case CaseItem caseItem:
                foreach (var pattern in caseItem.Patterns)
                {
                    yield return pattern;
                }
                yield return caseItem.Body;
                break;
            case FunctionDefinition function:
                yield return function.Body;
                break;
            case ArithmeticCommand arithmetic:
                yield return arithmetic.Expression;
                break;
            case TestCommand test:
                foreach (var word in test.Words)
                {
                    yield return word;
                }
                break;
            case Assignment assignment:
                if (assignment.Index is { } index)
                {
                    yield return index;
                }
                if (assignment.Value is { } value)
                {
                    yield return value;
                }
                foreach (var element in assignment.Elements ?? [])
                {
                    yield return element;
                }
                break;
            case ArrayElement element:
                if (element.Key is { } key)
                {
                    yield return key;
                }
                yield return element.Value;
                break;
            case Redirect redirect:
                yield return redirect.Target;
                if (redirect.HeredocBody is { } body)
                {
                    yield return body;
                }
                break;
            case Word word:
                foreach (var part in word.Parts)
                {
                    yield return part;
                }
                break;
            case DoubleQuotedPart quoted:
                foreach (var part in quoted.Parts)
                {
                    yield return part;
                }
                break;
            case ArithmeticExpansionPart arithmetic:
                foreach (var part in arithmetic.Parts)
                {
                    yield return part;
                }
                break;
            case ParameterExpansionPart parameter:
                if (parameter.Index is { } parameterIndex)
                {
                    yield return parameterIndex;
                }
                if (parameter.Argument is { } argument)
                {
                    yield return argument;
                }
                break;
            case CommandSubstitutionPart substitution:
                yield return substitution.Body;
                break;
            case ProcessSubstitutionPart process:
                yield return process.Body;
                break;
            case ArrayLiteralPart array:
                foreach (var element in array.Elements)
                {
                    yield return element;
                }
                break;
        }
    }
}
