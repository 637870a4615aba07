// Test-integrity reviewer: compares an edit's old and new text and flags changes that make a test suite pass by
// testing less — deleted tests, newly skipped tests, removed assertions, always-true assertions. A pattern list
// sees the words; this sees what an edit removed and added.

static readonly string TestFile = @"(^|/)(tests?|specs?|__tests__)/|(\.|_)(test|spec)s?\.[A-Za-z]+$|(^|/)test_[^/]+\.py$|Tests?\.cs$";
static readonly string TestDeclaration = @"\[(Fact|Theory|Test|TestMethod|TestCase)\b|^\s*(async\s+)?def\s+test_|^\s*(it|test|describe)\s*\(|@Test\b|func\s+Test[A-Z]";
static readonly string Skip = @"\[(Fact|Theory)\s*\(\s*Skip\s*=|\[Ignore\b|@pytest\.mark\.skip|@unittest\.skip|\b(it|test|describe)\.skip\s*\(|\bx(it|describe|test)\s*\(|@Disabled\b|t\.Skip\(|\.only\s*\(";
static readonly string Assertion = @"\bAssert\.|\bassert\b|\bexpect\s*\(|\.should\b|\bverify\s*\(|\bt\.(Error|Fatal)";
static readonly string Tautology = @"Assert\.True\(\s*true\s*\)|assert\s+True\b|expect\(\s*true\s*\)\.toBe\(\s*true\s*\)";
// Assert.Equal(x, x) with the same literal twice; compared in code, since script helpers run in linear time (no backreferences).
static readonly Regex EqualLiterals = new(@"Assert\.Equal\(\s*(\d+|""[^""]*"")\s*,\s*(\d+|""[^""]*"")\s*\)", RegexOptions.NonBacktracking);

static int Count(IEnumerable<string> lines, string pattern) => lines.Count(l => ScriptText.Has(l, pattern));
static bool IsTautology(string line) =>
    ScriptText.Has(line, Tautology) || EqualLiterals.Match(line) is { Success: true } m && m.Groups[1].Value == m.Groups[2].Value;

return new PersonaScript
{
    Id = "test-integrity-reviewer",
    Name = "Test Integrity Reviewer",
    Expertise = "test suites",
    Description = "Flags edits that delete or skip tests, remove assertions or assert nothing.",
    Weight = 1.0,
    Triggers = new ScriptTriggers
    {
        Operations = ["file_edit", "file_write"],
        Paths = [TestFile],
    },
    Evaluate = (op, ct) =>
    {
        var removed = ScriptText.RemovedLines(op.OldContent, op.Content);
        var added = ScriptText.AddedLines(op.OldContent, op.Content);
        var findings = new List<PersonaVerdict>();

        var deletedTests = Count(removed, TestDeclaration) - Count(added, TestDeclaration);
        if (deletedTests > 0)
            findings.Add(Verdicts.Ask(0.9, "tests-deleted",
                $"This edit removes {deletedTests} test(s). Fix the code under test instead, or say in the commit why the test is obsolete and what covers it now.",
                "Deleting a failing test hides the failure instead of fixing it.", Severity.High));

        var newSkips = Count(added, Skip) - Count(removed, Skip);
        if (newSkips > 0)
            findings.Add(Verdicts.Ask(0.9, "tests-skipped",
                "Do not skip or focus tests to get a green run; fix the failure, or mark it skipped with a reason and an issue link a person agrees to.",
                "A skipped test no longer protects anything, and '.only' silently disables the rest of the suite.", Severity.High));

        var lostAssertions = Count(removed, Assertion) - Count(added, Assertion);
        if (lostAssertions >= 2 && deletedTests <= 0)
            findings.Add(Verdicts.Ask(0.8, "assertions-removed",
                $"This edit removes {lostAssertions} assertion(s) from tests. Keep the assertions and change the code, or replace them with equivalent checks.",
                "Weakening assertions makes a test pass without the behaviour being right.", Severity.Medium));

        if (added.Any(IsTautology))
            findings.Add(Verdicts.Ask(0.85, "tautological-assertion",
                "Assert on the behaviour under test, not on a constant: an always-true assertion tests nothing.",
                "Assert.True(true) and friends make a test pass unconditionally.", Severity.Medium));

        return Verdicts.Strongest(
            Verdicts.Allow(0.97, "The edit keeps the tests and their assertions intact."),
            findings);
    },
};
