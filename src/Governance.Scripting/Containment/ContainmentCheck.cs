using Governance.Abstractions.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Governance.Scripting.Containment;

/// <summary>
/// Finds what a script may not do before it ever runs: every name, creation and attribute is resolved with the
/// semantic model and judged by <see cref="ForbiddenApis"/>, and the constructs the budget cannot contain (unsafe
/// code, stackalloc, native declarations, finalizers, async void, #r/#load) are refused by syntax. Each finding is a
/// load error with file, line and column.
/// </summary>
internal static class ContainmentCheck
{
    private const string RegexType = "System.Text.RegularExpressions.Regex";

    public static List<PolicyLoadError> Find(string displayName, Compilation compilation, SyntaxTree tree, ScriptKind kind,
        ScriptCapabilities allowed, CancellationToken cancellationToken)
    {
        var model = compilation.GetSemanticModel(tree);
        var root = (CompilationUnitSyntax)tree.GetRoot(cancellationToken);
        var findings = new List<(int Line, int Column, string Message)>();
        var where = kind == ScriptKind.Persona ? "a script persona" : "a plugin";

        void Refuse(Location location, string what, Refusal refusal)
        {
            if (refusal.AllowedBy(allowed))
            {
                return;
            }
            var start = location.GetLineSpan().StartLinePosition;
            findings.Add((start.Line + 1, start.Character + 1, $"`{what}` is not allowed in {where}: {refusal.Why}"));
        }

        foreach (var directive in root.GetReferenceDirectives())
        {
            Refuse(directive.GetLocation(), "#r", Refusal.ReferenceDirective);
        }
        foreach (var directive in root.GetLoadDirectives())
        {
            Refuse(directive.GetLocation(), "#load", Refusal.LoadDirective);
        }

        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case UnsafeStatementSyntax or FixedStatementSyntax:
                    Refuse(node.GetFirstToken().GetLocation(), node.GetFirstToken().Text, Refusal.Unsafe);
                    break;
                case PointerTypeSyntax or FunctionPointerTypeSyntax:
                    Refuse(node.GetLocation(), node.ToString(), Refusal.Unsafe);
                    break;
                case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                    Refuse(node.GetFirstToken().GetLocation(), "stackalloc", Refusal.StackAlloc);
                    break;
                case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                    Refuse(node.GetFirstToken().GetLocation(), node.GetFirstToken().Text, Refusal.Native);
                    break;
                case ExpressionSyntax when node.IsKind(SyntaxKind.ArgListExpression):
                    Refuse(node.GetLocation(), "__arglist", Refusal.Native);
                    break;
                case ExternAliasDirectiveSyntax:
                    Refuse(node.GetLocation(), "extern alias", Refusal.Loading);
                    break;
                case DestructorDeclarationSyntax destructor:
                    Refuse(destructor.TildeToken.GetLocation(), $"~{destructor.Identifier.Text}()", Refusal.Finalizer);
                    break;
                case AnonymousFunctionExpressionSyntax function:
                    CheckFunction(function);
                    break;
                case SimpleNameSyntax name:
                    CheckName(name);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    CheckCall(creation);
                    break;
                case InvocationExpressionSyntax invocation:
                    CheckCall(invocation);
                    break;
            }
            if (Modifiers(node) is { } modifiers)
            {
                CheckModifiers(node, modifiers);
            }
        }

        return findings
            .Distinct()
            .OrderBy(f => f.Line).ThenBy(f => f.Column)
            .Select(f => new PolicyLoadError(displayName, f.Line, f.Column, f.Message))
            .ToList();

        void CheckModifiers(SyntaxNode node, SyntaxTokenList modifiers)
        {
            foreach (var modifier in modifiers)
            {
                if (modifier.IsKind(SyntaxKind.UnsafeKeyword))
                {
                    Refuse(modifier.GetLocation(), "unsafe", Refusal.Unsafe);
                }
                else if (modifier.IsKind(SyntaxKind.ExternKeyword))
                {
                    Refuse(modifier.GetLocation(), "extern", Refusal.Native);
                }
                else if (modifier.IsKind(SyntaxKind.AsyncKeyword) && node is MethodDeclarationSyntax or LocalFunctionStatementSyntax
                    && model.GetDeclaredSymbol(node, cancellationToken) is IMethodSymbol { ReturnsVoid: true })
                {
                    Refuse(modifier.GetLocation(), "async void", Refusal.AsyncVoid);
                }
            }
        }

        void CheckFunction(AnonymousFunctionExpressionSyntax function)
        {
            if (function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)
                && model.GetSymbolInfo(function, cancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true })
            {
                Refuse(function.AsyncKeyword.GetLocation(), "async void", Refusal.AsyncVoid);
            }
            if (model.GetTypeInfo(function, cancellationToken).ConvertedType is INamedTypeSymbol { Name: "Expression" } converted
                && converted.ContainingNamespace?.ToDisplayString() == "System.Linq.Expressions")
            {
                Refuse(function.GetLocation(), "Expression<...>", Refusal.ExpressionTrees);
            }
        }

        void CheckName(SimpleNameSyntax name)
        {
            if (name.IsVar)
            {
                return; // the expression it stands for is judged where it is written
            }
            var info = model.GetSymbolInfo(name, cancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is IAliasSymbol alias)
            {
                symbol = alias.Target;
            }
            if (symbol is null or INamespaceSymbol or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol
                || InNameOf(name))
            {
                return;
            }
            if (symbol is ITypeSymbol && IsJudgedThroughItsUse(name))
            {
                return;
            }
            if (symbol is IMethodSymbol { ReducedFrom: { } extension })
            {
                symbol = extension;
            }
            if (ForbiddenApis.Judge(symbol) is { } refusal)
            {
                // Environment.Exit is reported where the member access starts, not at "Exit".
                var at = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (SyntaxNode)name;
                Refuse(at.GetLocation(), Describe(symbol, name), refusal);
            }
        }

        // A type named only to reach a member (File.ReadAllText) or to be constructed (new Thread(...)) is judged
        // through that member, so the error names what the script does.
        bool IsJudgedThroughItsUse(SimpleNameSyntax name)
        {
            SyntaxNode reference = name;
            while (reference.Parent is QualifiedNameSyntax q && q.Right == reference || reference.Parent is MemberAccessExpressionSyntax m && m.Name == reference)
            {
                reference = reference.Parent;
            }
            return reference.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == reference =>
                    model.GetSymbolInfo(access.Name, cancellationToken).Symbol is { ContainingType: not null },
                ObjectCreationExpressionSyntax creation when creation.Type == reference =>
                    model.GetSymbolInfo(creation, cancellationToken).Symbol is IMethodSymbol,
                _ => false,
            };
        }

        void CheckCall(ExpressionSyntax call)
        {
            if (model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method)
            {
                return;
            }
            if (call is BaseObjectCreationExpressionSyntax && ForbiddenApis.Judge(method) is { } refusal)
            {
                Refuse(call.GetLocation(), Describe(method, call), refusal);
            }
            if (method.ContainingType?.ToDisplayString() == RegexType && (method.MethodKind == MethodKind.Constructor || method.IsStatic)
                && method.Parameters.Any(p => p.Name == "pattern") && !IsNonBacktracking(call))
            {
                Refuse(call.GetLocation(), method.MethodKind == MethodKind.Constructor ? "new Regex" : $"Regex.{method.Name}", Refusal.Backtracking);
            }
        }

        bool IsNonBacktracking(ExpressionSyntax call)
        {
            var arguments = model.GetOperation(call, cancellationToken) switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => [],
            };
            var options = arguments.FirstOrDefault(a => a.Parameter?.Name == "options");
            return options is { ArgumentKind: ArgumentKind.Explicit, Value.ConstantValue: { HasValue: true, Value: int value } }
                && (value & (int)System.Text.RegularExpressions.RegexOptions.NonBacktracking) != 0;
        }

        bool InNameOf(SyntaxNode node) =>
            node.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" } n
                && model.GetSymbolInfo(n, cancellationToken).Symbol is null);
    }

    private static SyntaxTokenList? Modifiers(SyntaxNode node) => node switch
    {
        MemberDeclarationSyntax member => member.Modifiers,
        LocalFunctionStatementSyntax local => local.Modifiers,
        LocalDeclarationStatementSyntax local => local.Modifiers,
        _ => null,
    };

    private static string Describe(ISymbol symbol, SyntaxNode node)
    {
        if (node.Parent is AttributeSyntax || node.Parent?.Parent is AttributeSyntax)
        {
            return $"[{node}]";
        }
        return symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => $"new {constructor.ContainingType.Name}",
            IDynamicTypeSymbol => "dynamic",
            IArrayTypeSymbol array => array.ElementType.Name,
            ITypeSymbol type => type.Name,
            _ => $"{symbol.ContainingType?.Name}.{symbol.Name}",
        };
    }
}
