using Governance.Abstractions.Decisions;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

/// <summary>The script personas and plugins shipped in personas/ and plugins/ compile and judge correctly.</summary>
public sealed class ShippedScriptsTests
{
    private static readonly RoslynScriptLoader Loader = new(NullLogger<RoslynScriptLoader>.Instance);

    public static TheoryData<string> ScriptFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { RepoPaths.Personas, RepoPaths.Plugins })
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.csx"))
            {
                data.Add(Path.GetRelativePath(RepoPaths.Root, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ScriptFiles))]
    public async Task EveryShippedScript_CompilesWithoutErrors(string relative)
    {
        var result = await Load(relative);

        Assert.Empty(result.Errors);
        Assert.True(result.Persona is not null || result.Enricher is not null || result.Check is not null);
    }

    [Fact]
    public void ShippedPack_HasTwoScriptPersonasAndTwoPlugins()
    {
        Assert.True(Directory.EnumerateFiles(RepoPaths.Personas, "*.csx").Count() >= 2);
        Assert.True(Directory.EnumerateFiles(RepoPaths.Plugins, "*.csx").Count() >= 2);
    }

    [Theory]
    [InlineData("Edit", "package.json", "{\n}", "{\n  \"lodahs\": \"^4.17.21\"\n}", "deny", "typosquat")]
    [InlineData("Edit", "package.json", "{\n}", "{\n  \"left-pad\": \"git+https://github.com/x/left-pad.git\"\n}", "ask", "dependency-from-url")]
    [InlineData("Edit", "package.json", "\"scripts\": {\n}", "\"scripts\": {\n  \"postinstall\": \"node setup.js\"\n}", "ask", "install-script")]
    [InlineData("Edit", "package.json", "{\n}", "{\n  \"react\": \"*\"\n}", "ask", "unpinned-version")]
    [InlineData("Edit", "src/App.csproj", "<ItemGroup>", "<ItemGroup>\n  <PackageReference Include=\"Newtonsoft.Jsom\" Version=\"13.0.3\" />", "deny", "typosquat")]
    [InlineData("Edit", "requirements.txt", "flask==3.0.0", "flask==3.0.0\nreqeusts==2.31.0", "deny", "typosquat")]
    [InlineData("Edit", "package.json", "{\n}", "{\n  \"lodash\": \"^4.17.21\",\n  \"test\": \"jest\"\n}", "allow", "")]
    [InlineData("Bash", "", "", "npm install expresss", "deny", "typosquat")]
    [InlineData("Bash", "", "", "npm install -g typescript", "ask", "global-install")]
    [InlineData("Bash", "", "", "pip install --extra-index-url https://pypi.example.org/simple internal-lib", "ask", "custom-registry")]
    [InlineData("Bash", "", "", "npm install express@4.19.2", "allow", "")]
    public async Task DependencyReviewer_Judges(string tool, string path, string before, string after, string verdict, string check)
    {
        var operation = tool == "Bash"
            ? new Operation { Kind = OperationKinds.CommandExecution, Name = tool, Command = after }
            : new Operation { Kind = OperationKinds.FileEdit, Name = tool, FilePath = path, OldContent = before, Content = after };

        await AssertJudgement("personas/dependency-reviewer.csx", operation, verdict, check);
    }

    [Theory]
    [InlineData("tests/test_app.py", "def test_a():\n    assert f() == 1\n\ndef test_b():\n    assert g()", "def test_a():\n    assert f() == 1", "ask", "tests-deleted")]
    [InlineData("tests/AppTests.cs", "[Fact]\npublic void A() { }", "[Fact(Skip = \"flaky\")]\npublic void A() { }", "ask", "tests-skipped")]
    [InlineData("src/app.test.ts", "it('adds', () => {", "it.only('adds', () => {", "ask", "tests-skipped")]
    [InlineData("tests/AppTests.cs", "Assert.Equal(3, Add(1, 2));\nAssert.Equal(0, Add(0, 0));\nAssert.True(ok);", "// checks removed", "ask", "assertions-removed")]
    [InlineData("tests/AppTests.cs", "Assert.Equal(3, Add(1, 2));", "Assert.True(true);", "ask", "tautological-assertion")]
    [InlineData("tests/AppTests.cs", "Assert.Equal(3, Add(1, 2));", "Assert.Equal(3, Add(1, 2));\nAssert.Equal(5, Add(2, 3));", "allow", "")]
    [InlineData("tests/test_app.py", "def test_a():\n    assert f() == 1", "def test_a():\n    assert f() == 1\n\ndef test_b():\n    assert f(2) == 4", "allow", "")]
    public async Task TestIntegrityReviewer_Judges(string path, string before, string after, string verdict, string check)
    {
        var operation = new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = path, OldContent = before, Content = after };

        await AssertJudgement("personas/test-integrity-reviewer.csx", operation, verdict, check);
    }

    [Theory]
    [InlineData("src/app.py", "/home/u/repo", "path-class", "workspace")]
    [InlineData("../../etc/passwd", "/home/u/repo", "path-class", "outside-workspace")]
    [InlineData("/etc/hosts", "/home/u/repo", "path-class", "system")]
    [InlineData("~/.bashrc", "/home/u/repo", "path-class", "home")]
    [InlineData("$HOME/.ssh/config", "/home/u/repo", "path-class", "home")]
    [InlineData("/tmp/build-1/out.txt", "/home/u/repo", "path-class", "temp")]
    [InlineData("./sub/../src/a.cs", "/home/u/repo", "path-in-workspace", "true")]
    [InlineData("/home/u/repo-other/a.cs", "/home/u/repo", "path-in-workspace", "false")]
    public async Task WorkspaceFacts_ClassifiesPaths(string path, string cwd, string fact, string expected)
    {
        var enricher = (await Load("plugins/workspace-facts.csx")).Enricher!;

        var facts = enricher.Enrich(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = path, Cwd = cwd }, CancellationToken.None);

        Assert.Equal(expected, facts[fact]);
    }

    [Theory]
    [InlineData("git push origin main", "main", "true")]
    [InlineData("git push --force origin +master", "master", "true")]
    [InlineData("git push origin HEAD:refs/heads/release/2.0", "release/2.0", "true")]
    [InlineData("git push -u origin feature/login", "feature/login", "false")]
    public async Task WorkspaceFacts_NamesPushTarget(string command, string target, string isProtected)
    {
        var enricher = (await Load("plugins/workspace-facts.csx")).Enricher!;

        var facts = enricher.Enrich(new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command }, CancellationToken.None);

        Assert.Equal((target, isProtected), (facts["push-target"], facts["push-target-protected"]));
    }

    [Theory]
    [InlineData("src/settings.py", "AWS_KEY = \"AKIAIOSFODNN7EXAMPLE\"", "secret-scan/aws-access-key")]
    [InlineData("src/deploy.sh", "export TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "secret-scan/github-token")]
    [InlineData("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc", "secret-scan/private-key")]
    [InlineData("src/app.ts", "const apiKey = \"q8Zr7Yt5Kp2Lm9Nx4Vb6Hj3\";", "secret-scan/high-entropy-secret")]
    [InlineData("src/app.ts", "const apiKey = process.env.API_KEY;", "")]
    [InlineData("src/app.ts", "const password = \"changeme-changeme\";", "")]
    [InlineData(".env.example", "API_KEY=AKIAIOSFODNN7EXAMPLE", "")]
    public async Task SecretScan_WarnsOnCredentials(string path, string content, string code)
    {
        var check = (await Load("plugins/secret-scan.csx")).Check!;

        var warnings = check.Check(new Operation { Kind = OperationKinds.FileWrite, Name = "Write", FilePath = path, Content = content }, CancellationToken.None);

        if (code.Length == 0)
        {
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Contains(warnings, w => w.Code == code);
        }
    }

    private static async Task AssertJudgement(string script, Operation operation, string verdict, string check)
    {
        var persona = (await Load(script)).Persona!;
        Assert.True(persona.IsRelevant(operation), $"{persona.Descriptor.Id} should trigger");

        var answer = await persona.EvaluateAsync(operation, CancellationToken.None);

        Assert.Equal(verdict, answer.Verdict.ToWire());
        if (check.Length > 0)
        {
            Assert.Contains(check, answer.MatchedChecks);
            Assert.False(string.IsNullOrWhiteSpace(answer.Guidance));
        }
        else
        {
            Assert.Empty(answer.MatchedChecks);
        }
    }

    private static Task<Abstractions.Policy.ScriptLoadResult> Load(string relative)
    {
        var path = Path.Combine(RepoPaths.Root, relative);
        return relative.StartsWith("plugins", StringComparison.Ordinal)
            ? Loader.LoadPluginAsync(path, relative, File.ReadAllText(path), CancellationToken.None)
            : Loader.LoadPersonaAsync(path, relative, File.ReadAllText(path), CancellationToken.None);
    }
}
