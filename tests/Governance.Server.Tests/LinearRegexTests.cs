using System.Reflection;
using System.Text.RegularExpressions;
using Governance.Core.Personas;

namespace Governance.Server.Tests;

/// <summary>
/// Every regex the product compiles runs in linear time (RegexOptions.NonBacktracking) with no match timeout, so no
/// verdict depends on how busy the machine is: the generated ones in every Governance assembly, and the ones built
/// from policy authors' patterns.
/// </summary>
public sealed class LinearRegexTests
{
    private static readonly Assembly[] Products =
    [
        typeof(Abstractions.Analysis.EffectKinds).Assembly, typeof(Analysis.OperationAnalyzer).Assembly, typeof(PolicyRegex).Assembly,
        typeof(Definitions.Loading.PolicyLoader).Assembly, typeof(Scripting.ScriptText).Assembly, typeof(Program).Assembly,
    ];

    public static TheoryData<string> Assemblies() => new(Products.Select(a => a.GetName().Name!));

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void GeneratedRegexes_InEveryAssembly_AreNonBacktrackingWithoutTimeout(string assemblyName)
    {
        var assembly = Products.Single(a => a.GetName().Name == assemblyName);
        var regexes = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(Regex) && m.GetParameters().Length == 0 && !m.ContainsGenericParameters)
            .Select(m => (Name: $"{m.DeclaringType!.Name}.{m.Name}", Regex: (Regex)m.Invoke(null, null)!))
            .ToList();

        var backtracking = regexes.Where(r => !r.Regex.Options.HasFlag(RegexOptions.NonBacktracking) || r.Regex.MatchTimeout != Regex.InfiniteMatchTimeout)
            .Select(r => $"{r.Name}: {r.Regex.Options}, timeout {r.Regex.MatchTimeout}").ToList();
        Assert.True(backtracking.Count == 0, string.Join('\n', backtracking));
        // The analysis holds most of them: a count far below what it has means the reflection no longer sees them.
        if (assemblyName == "Governance.Analysis")
        {
            Assert.True(regexes.Count >= 40, $"only {regexes.Count} generated regexes found in {assemblyName}: the reflection no longer sees them");
        }
    }

    [Fact]
    public void PolicyRegex_AuthorsPattern_IsNonBacktrackingWithoutTimeout()
    {
        var regex = PolicyRegex.TryCreate(@"\bgit\s+push\b", out var error);

        Assert.Null(error);
        Assert.True(regex!.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(Regex.InfiniteMatchTimeout, regex.MatchTimeout);
    }
}
