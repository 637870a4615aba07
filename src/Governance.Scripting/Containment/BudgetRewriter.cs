using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Governance.Scripting.Containment;

/// <summary>
/// Weaves <see cref="ScriptBudget.Check"/> into a script that passed <see cref="ContainmentCheck"/>: at the start of
/// every loop body, before every goto, at the entry of every method, constructor, accessor, operator, local
/// function and lambda (expression bodies become blocks), around query clauses, and as the first field initializer
/// of every class (so recursion through field initializers is stopped too). Nothing is inserted across lines, so
/// the rewritten tree keeps the original's line numbers. The semantic model of the original tree says which
/// expression bodies return a value.
/// </summary>
internal sealed class BudgetRewriter(SemanticModel model) : CSharpSyntaxRewriter
{
    private const string Budget = "global::Governance.Scripting.ScriptBudget";

    public static SyntaxTree Rewrite(SyntaxTree tree, SemanticModel model, CancellationToken cancellationToken)
    {
        var root = new BudgetRewriter(model).Visit(tree.GetRoot(cancellationToken));
        return tree.WithRootAndOptions(root, tree.Options);
    }

    private static StatementSyntax Check() => ParseStatement(Budget + ".Check();");

    private static BlockSyntax Budgeted(StatementSyntax body) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, Check()))
        : Block(Check(), body);

    private static BlockSyntax? Budgeted(BlockSyntax? body) => body?.WithStatements(body.Statements.Insert(0, Check()));

    private static BlockSyntax Budgeted(ExpressionSyntax expression, bool returnsValue) => expression switch
    {
        ThrowExpressionSyntax thrown => Block(Check(), ThrowStatement(thrown.Expression)),
        _ when returnsValue => Block(Check(), ReturnStatement(expression)),
        _ => Block(Check(), ExpressionStatement(expression)),
    };

    // An async method returning Task or ValueTask has a statement body, like a void one.
    private static bool ReturnsValue(IMethodSymbol? method) =>
        method is not null && !method.ReturnsVoid && !(method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false });

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Budgeted(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Budgeted(visited.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Budgeted(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Budgeted(visited.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(Budgeted(visited.Statement));
    }

    // A backward goto (or goto case) is a loop without a loop statement.
    public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node) =>
        Block(Check(), (StatementSyntax)base.VisitGotoStatement(node)!);

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Budgeted(arrow.Expression, ReturnsValue(model.GetDeclaredSymbol(node))));
        }
        return visited.WithBody(Budgeted(visited.Body));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Budgeted(arrow.Expression, ReturnsValue(model.GetDeclaredSymbol(node) as IMethodSymbol)));
        }
        return visited.WithBody(Budgeted(visited.Body));
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var visited = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Budgeted(arrow.Expression, returnsValue: false));
        }
        return visited.WithBody(Budgeted(visited.Body));
    }

    public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        var visited = (OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Budgeted(arrow.Expression, ReturnsValue(model.GetDeclaredSymbol(node))));
        }
        return visited.WithBody(Budgeted(visited.Body));
    }

    public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
    {
        var visited = (ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Budgeted(arrow.Expression, returnsValue: true));
        }
        return visited.WithBody(Budgeted(visited.Body));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var visited = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        if (visited.ExpressionBody is { } arrow)
        {
            return visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Budgeted(arrow.Expression, ReturnsValue(model.GetDeclaredSymbol(node))));
        }
        return visited.WithBody(Budgeted(visited.Body)); // an auto-accessor has no body and stays one
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var visited = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        if (visited.ExpressionBody is not { } arrow)
        {
            return visited;
        }
        var getter = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithBody(Budgeted(arrow.Expression, returnsValue: true));
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(AccessorList(SingletonList(getter)));
    }

    public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        var visited = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
        if (visited.ExpressionBody is not { } arrow)
        {
            return visited;
        }
        var getter = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithBody(Budgeted(arrow.Expression, returnsValue: true));
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(AccessorList(SingletonList(getter)));
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var symbol = model.GetSymbolInfo(node).Symbol as IMethodSymbol;
        var visited = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return visited.ExpressionBody is { } body
            ? visited.WithExpressionBody(null).WithBlock(Budgeted(body, ReturnsValue(symbol)))
            : visited.WithBlock(Budgeted(visited.Block));
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var symbol = model.GetSymbolInfo(node).Symbol as IMethodSymbol;
        var visited = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return visited.ExpressionBody is { } body
            ? visited.WithExpressionBody(null).WithBlock(Budgeted(body, ReturnsValue(symbol)))
            : visited.WithBlock(Budgeted(visited.Block));
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var visited = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return visited.WithBlock(Budgeted((StatementSyntax)visited.Block));
    }

    // Query clauses compile to lambdas the syntax does not show: each clause value passes through a check.
    public override SyntaxNode? VisitWhereClause(WhereClauseSyntax node)
    {
        var visited = (WhereClauseSyntax)base.VisitWhereClause(node)!;
        return visited.WithCondition(Passed(node.Condition, visited.Condition));
    }

    public override SyntaxNode? VisitSelectClause(SelectClauseSyntax node)
    {
        var visited = (SelectClauseSyntax)base.VisitSelectClause(node)!;
        return visited.WithExpression(Passed(node.Expression, visited.Expression));
    }

    public override SyntaxNode? VisitLetClause(LetClauseSyntax node)
    {
        var visited = (LetClauseSyntax)base.VisitLetClause(node)!;
        return visited.WithExpression(Passed(node.Expression, visited.Expression));
    }

    public override SyntaxNode? VisitFromClause(FromClauseSyntax node)
    {
        var visited = (FromClauseSyntax)base.VisitFromClause(node)!;
        return visited.WithExpression(Passed(node.Expression, visited.Expression));
    }

    public override SyntaxNode? VisitOrdering(OrderingSyntax node)
    {
        var visited = (OrderingSyntax)base.VisitOrdering(node)!;
        return visited.WithExpression(Passed(node.Expression, visited.Expression));
    }

    public override SyntaxNode? VisitGroupClause(GroupClauseSyntax node)
    {
        var visited = (GroupClauseSyntax)base.VisitGroupClause(node)!;
        return visited.WithGroupExpression(Passed(node.GroupExpression, visited.GroupExpression))
            .WithByExpression(Passed(node.ByExpression, visited.ByExpression));
    }

    public override SyntaxNode? VisitJoinClause(JoinClauseSyntax node)
    {
        var visited = (JoinClauseSyntax)base.VisitJoinClause(node)!;
        return visited.WithInExpression(Passed(node.InExpression, visited.InExpression))
            .WithLeftExpression(Passed(node.LeftExpression, visited.LeftExpression))
            .WithRightExpression(Passed(node.RightExpression, visited.RightExpression));
    }

    // A class constructed from its own field initializers (class C { C next = new C(); }) recurses without any
    // constructor body to check: its first instance field initializer is a check.
    public override SyntaxNode? VisitClassDeclaration(ClassDeclarationSyntax node)
    {
        var visited = (ClassDeclarationSyntax)base.VisitClassDeclaration(node)!;
        if (node.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            return visited; // no instances, no instance initializers
        }
        return visited.WithMembers(visited.Members.Insert(0, InitializerCheck()));
    }

    public override SyntaxNode? VisitRecordDeclaration(RecordDeclarationSyntax node)
    {
        var visited = (RecordDeclarationSyntax)base.VisitRecordDeclaration(node)!;
        if (node.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword))
        {
            return visited; // a struct cannot contain itself, and its field initializers need a declared constructor
        }
        if (visited.OpenBraceToken.IsKind(SyntaxKind.None))
        {
            // record R(int X); has no body yet: give it one, keeping the semicolon's trivia on the closing brace.
            visited = visited.WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken))
                .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(visited.SemicolonToken.TrailingTrivia))
                .WithSemicolonToken(default);
        }
        return visited.WithMembers(visited.Members.Insert(0, InitializerCheck()));
    }

    // Partial declarations of one class each get a field, so each needs its own name.
    private MemberDeclarationSyntax InitializerCheck() =>
        ParseMemberDeclaration($"private readonly int __scriptBudget{_fields++} = {Budget}.Pass(0);")!;

    private int _fields;

    private ExpressionSyntax Passed(ExpressionSyntax original, ExpressionSyntax visited)
    {
        // Pass<T>(value) needs a natural type; a target-typed value (null, new(), a lambda) stays as it is.
        var type = model.GetTypeInfo(original).Type;
        if (type is null or IErrorTypeSymbol || type.IsRefLikeType || type.SpecialType == SpecialType.System_Void)
        {
            return visited;
        }
        return InvocationExpression(ParseExpression(Budget + ".Pass"), ArgumentList(SingletonSeparatedList(Argument(visited))));
    }
}
