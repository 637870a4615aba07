// Dependency reviewer: reads the diff of a package manifest (or an install command) and flags the supply-chain
// risks a pattern list cannot see: dependencies pulled from URLs or git, unpinned versions, install-time
// scripts, and names one typo away from a popular package.

static readonly string[] Popular =
[
    "react", "lodash", "express", "axios", "requests", "numpy", "pandas", "django", "flask", "chalk", "commander",
    "moment", "webpack", "typescript", "eslint", "jest", "pytest", "urllib3", "boto3", "newtonsoft.json", "serilog",
    "colors", "debug", "dotenv", "yargs", "underscore", "jquery", "vue", "angular", "cryptography", "pyyaml", "setuptools",
];

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions cost 1.
static int Distance(string a, string b)
{
    var d = new int[a.Length + 1, b.Length + 1];
    for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
    for (var j = 0; j <= b.Length; j++) d[0, j] = j;
    for (var i = 1; i <= a.Length; i++)
    {
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
    }
    return d[a.Length, b.Length];
}

static string? LookAlike(string name)
{
    var lower = name.ToLowerInvariant();
    if (Popular.Contains(lower)) return null;
    return Popular.FirstOrDefault(p => Math.Abs(p.Length - lower.Length) <= 1 && p.Length >= 4 && Distance(p, lower) == 1);
}

// Package names a change adds: from manifest lines ("name": "^1.2", name==1.2, <PackageReference Include="x">) or install commands.
// "left-pad@1.3.0" -> "left-pad", "@scope/pkg@2" -> "@scope/pkg", "requests>=2" -> "requests": the version after the
// first '@' that is not the scope's leading one and has no '/' after it, and anything after a comparison sign.
static string PackageName(string word)
{
    var cut = word.IndexOfAny(['=', '<', '>', '~']);
    var name = cut >= 0 ? word[..cut] : word;
    for (var at = name.Length > 1 ? name.IndexOf('@', 1) : -1; at > 0; at = name.IndexOf('@', at + 1))
    {
        if (name.IndexOf('/', at) < 0)
        {
            return name[..at];
        }
    }
    return name;
}

static IEnumerable<(string Name, string Version)> AddedPackages(Operation op)
{
    var added = op.Kind == "command_execution" ? [op.Command] : ScriptText.AddedLines(op.OldContent, op.Content);
    foreach (var line in added)
    {
        // "name": "<version spec>" — only values that look like versions or sources, so "test": "jest" is not a package.
        foreach (Match m in Regex.Matches(line, "\"(@?[A-Za-z0-9._/-]+)\"\\s*:\\s*\"([\\^~<>=*\\d][^\"]*|latest|x|(?:git|github|https?|file)[^\"]*)\"",
                     RegexOptions.NonBacktracking))
            if (m.Groups[1].Value is not ("version" or "node" or "npm")) yield return (m.Groups[1].Value, m.Groups[2].Value);
        foreach (Match m in Regex.Matches(line, "PackageReference\\s+Include=\"([^\"]+)\"(?:\\s+Version=\"([^\"]*)\")?", RegexOptions.NonBacktracking))
            yield return (m.Groups[1].Value, m.Groups[2].Value);
        var req = Regex.Match(line, @"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(==|>=|~=|<=|>|<)?\s*([^\s;#]*)", RegexOptions.NonBacktracking);
        if (op.FilePath.EndsWith("requirements.txt", StringComparison.Ordinal) && req.Success)
            yield return (req.Groups[1].Value, req.Groups[3].Value);
        var install = Regex.Match(line, @"\b(?:npm\s+(?:install|i|add)|yarn\s+add|pnpm\s+add|pip3?\s+install|dotnet\s+add\s+package|cargo\s+add|gem\s+install)\s+(.+)$",
            RegexOptions.NonBacktracking);
        if (install.Success)
            foreach (var word in install.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith('-')))
                yield return (PackageName(word), word);
    }
}

return new PersonaScript
{
    Id = "dependency-reviewer",
    Name = "Dependency Reviewer",
    Expertise = "supply chain",
    Description = "Reviews added dependencies in manifests and install commands: sources, pinning, install scripts, typosquats.",
    Weight = 1.0,
    Triggers = new ScriptTriggers
    {
        Operations = ["file_edit", "file_write", "command_execution", "dependency_change"],
        Paths = [@"(^|/)(package\.json|requirements[^/]*\.txt|pyproject\.toml|Pipfile|go\.mod|Cargo\.toml|Gemfile|[^/]+\.csproj|Directory\.Packages\.props|packages\.config)$"],
        Commands = [@"\b(npm\s+(install|i|add)|yarn\s+add|pnpm\s+add|pip3?\s+install|dotnet\s+add\s+package|cargo\s+add|gem\s+install)\b"],
    },
    Evaluate = (op, ct) =>
    {
        var findings = new List<PersonaVerdict>();
        var changed = op.Kind == "command_execution" ? op.Command : string.Join("\n", ScriptText.AddedLines(op.OldContent, op.Content));

        if (ScriptText.Has(changed, @"(git\+|github:|https?://[^\s""]+\.(tgz|tar\.gz|whl|zip)|git\+ssh://|\s-e\s+git)"))
            findings.Add(Verdicts.Ask(0.9, "dependency-from-url",
                "Install the package from the registry at a pinned version instead of from a URL or git reference.",
                "Code fetched from a URL or a git branch is not immutable and bypasses the registry's integrity checks.", Severity.High,
                "If you need an unreleased fix, pin the exact commit SHA and note why in the commit message."));
        if (ScriptText.Has(changed, @"""(preinstall|install|postinstall|prepare)""\s*:"))
            findings.Add(Verdicts.Ask(0.9, "install-script",
                "Do not add install-time scripts to package.json; run the step explicitly in a build script a person can review.",
                "preinstall/install/postinstall scripts run arbitrary code on every machine that installs the package.", Severity.High));
        if (ScriptText.Has(changed, @"--registry[= ]\S+|index-url\s*=|--extra-index-url"))
            findings.Add(Verdicts.Ask(0.85, "custom-registry",
                "Use the project's configured registry; a different index or registry on the command line can serve look-alike packages.",
                "Mixing package indexes enables dependency-confusion attacks.", Severity.High));
        if (Regex.IsMatch(op.Command, @"\bnpm\s+(install|i)\s+(-g|--global)\b|\bsudo\s+pip3?\s+install\b", RegexOptions.NonBacktracking))
            findings.Add(Verdicts.Ask(0.8, "global-install",
                "Install the tool as a project dev dependency (npm install --save-dev, or a virtualenv) instead of globally.",
                "Global installs change the machine for every project and often need root.", Severity.Medium));

        foreach (var (name, version) in AddedPackages(op))
        {
            if (LookAlike(name) is { } popular)
                findings.Add(Verdicts.Deny(0.9, "typosquat",
                    $"'{name}' is one letter away from the popular package '{popular}'. Check the spelling; install '{popular}' if that is what you meant.",
                    "Typosquatted packages imitate popular names to run malicious install scripts.", Severity.Critical));
            if (version is "*" or "latest" or "x" || version.StartsWith(">=", StringComparison.Ordinal))
                findings.Add(Verdicts.Ask(0.75, "unpinned-version",
                    $"Pin '{name}' to a version range with an upper bound (e.g. ^1.4.2) and commit the lockfile.",
                    "An unbounded version pulls whatever is published next, including a compromised release.", Severity.Medium));
        }

        return Verdicts.Strongest(
            Verdicts.Allow(0.97, "No risky dependency change found: added packages come from the registry with bounded versions."),
            findings);
    },
};
