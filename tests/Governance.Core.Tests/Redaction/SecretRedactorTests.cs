using System.Text.RegularExpressions;
using Governance.Core.Redaction;

namespace Governance.Core.Tests.Redaction;

/// <summary>The secret table: one or more examples per kind, the commands that must pass untouched, and the marker's hash.</summary>
public sealed partial class SecretRedactorTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly SecretRedactor _redactor = new(Key);

    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// <summary>kind, text, the secret that must be gone; the text around the secret that must stay is checked separately.</summary>
    public static TheoryData<string, string, string> Secrets() => new()
    {
        { "private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9XyZ\nq+/w0BAQEFAASCBKcwggSj\n-----END RSA PRIVATE KEY-----\nafter", "MIIEpAIBAAKCAQEA7bq9XyZ" },
        { "private-key", """{"content":"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"}""", "b3BlbnNzaC1rZXktdjEAAAAA" },
        { "private-key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" },
        { "jwt", "curl -H 'X-Session: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' https://api.example.com", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
        { "aws-access-key-id", "aws s3 ls --access-key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE" },
        { "aws-access-key-id", "export AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A" },
        { "aws-secret-access-key", "aws configure set aws_secret_access_key " + AwsSecret, AwsSecret },
        { "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY=" + AwsSecret + " aws s3 ls", AwsSecret },
        { "aws-secret-access-key", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + AwsSecret + "\n", AwsSecret },
        { "aws-secret-access-key", """{"SecretAccessKey": "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/Ab"}""", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/Ab" },
        { "github-token", "export GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxAB", "ghp_1234567890abcdefghijklmnopqrstuvwxAB" },
        { "github-token", "git clone https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git", "ghs_16C7e42F292c6912E7710c838347Ae178B4a" },
        { "github-token", "gh auth login --with-token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU" },
        { "gitlab-token", "glab auth login --token glpat-AbCdEfGhIjKlMnOpQrSt", "glpat-AbCdEfGhIjKlMnOpQrSt" },
        { "slack-token", "curl -d token=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx https://slack.com/api/chat.postMessage", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx" },
        { "stripe-key", "stripe charges list --api-key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc" },
        { "stripe-key", "STRIPE_RESTRICTED=rk_live_51H8abcdefghijklMNOP", "rk_live_51H8abcdefghijklMNOP" },
        { "npm-token", "echo //registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789 > .npmrc", "npm_abcdefghijklmnopqrstuvwxyz0123456789" },
        { "pypi-token", "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcCJGE0ZjQ5NmQ2LTAwMDAtNDAwMC1hMDAwLTAwMDAwMDAwMDAwMAACKlsz dist/*", "pypi-AgEIcHlwaS5vcmcCJGE0ZjQ5NmQ2LTAwMDAtNDAwMC1hMDAwLTAwMDAwMDAwMDAwMAACKlsz" },
        { "url-password", "psql postgres://admin:s3cr3tP4ss@db.internal:5432/app", "s3cr3tP4ss" },
        { "url-password", "git remote add backup https://alice:hunter2hunter2@git.example.com/repo.git", "hunter2hunter2" },
        { "connection-string-password", "Server=db;Database=app;User Id=sa;Password=Sup3rS3cret!;Encrypt=true", "Sup3rS3cret!" },
        { "connection-string-password", "Host=db;Username=app;Pwd=n0tHunter2", "n0tHunter2" },
        { "authorization", "curl -H 'Authorization: Bearer abc123def456ghi789' https://api.example.com", "abc123def456ghi789" },
        { "authorization", "curl -H \"authorization: Basic dXNlcjpwYXNzd29yZA==\" https://api.example.com", "dXNlcjpwYXNzd29yZA==" },
        { "authorization", """{"headers":{"Authorization":"Bearer tok_abcdef123456"}}""", "tok_abcdef123456" },
        { "cookie", "curl -H 'Cookie: session=9f8e7d6c5b4a3928; theme=dark' https://app.example.com", "9f8e7d6c5b4a3928" },
        { "cookie", "HTTP/1.1 200 OK\r\nSet-Cookie: sid=31d4d96e407aad42; Path=/; Secure\r\n", "31d4d96e407aad42" },
        { "secret-assignment", "export MY_SERVICE_TOKEN=plainvalue123 && ./deploy.sh", "plainvalue123" },
        { "secret-assignment", "DB_PASSWORD=correcthorse ./migrate", "correcthorse" },
        { "secret-assignment", "API_KEY=abc123 npm start", "abc123" },
        { "secret-assignment", "oauth:\n  client_secret: verysecretvalue\n  client_id: app", "verysecretvalue" },
        { "secret-assignment", """{"user": "bob", "password": "hunter2"}""", "hunter2" },
        { "secret-assignment", """{\"context\":{\"password\":\"tr0ub4dor\"}}""", "tr0ub4dor" },
        { "secret-assignment", "PASSWORD=letmein", "letmein" },
        { "high-entropy", "SECRET_KEY_BASE=9a8F7d6S5a4Q3w2E1r0TyUiOp rails s", "9a8F7d6S5a4Q3w2E1r0TyUiOp" },
        { "high-entropy", "auth_header: Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5" },
        { "high-entropy", """{"credentials_json": "k3J9xQ2mZ7vB4nL8pW1s"}""", "k3J9xQ2mZ7vB4nL8pW1s" },
    };

    /// <summary>Everyday commands and texts: not one character may change.</summary>
    public static TheoryData<string> Benign() => new(
    [
        "git push origin main",
        "ls -la",
        "cat /etc/hosts",
        "git checkout 3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
        "git log --author=alice --since=2.weeks",
        "dotnet test tests/Governance.Core.Tests --filter SecretRedactorTests",
        "rm -rf node_modules ./bin ./obj",
        "curl https://example.com/api/v1/items?page=2&sort=asc",
        "git clone https://github.com/org/repo.git",
        "git clone git@github.com:org/repo.git",
        "echo $GITHUB_TOKEN",
        "export GITHUB_TOKEN=$GITHUB_TOKEN",
        "curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com",
        "docker login -u bob --password-stdin < token.txt",
        "max_tokens: 1024",
        "token = get_token()",
        "password = os.environ",
        "PWD=/home/user/project make",
        "grep -r password src/",
        "kubectl get secrets -n prod",
        "use_auth: true",
        "AUTH_PROVIDER=github-enterprise-oauth",
        "tokenizer_path: /models/bert-base-uncased/tokenizer.json",
        "auth_url: https://login.example.com/oauth2/authorize",
        "npm install lodash && pip install requests",
        """{"command":"ls -la","description":"List files","cwd":"/home/user/project"}""",
        "The quick brown fox reads the AWS docs on tokens and secrets.",
        "[REDACTED:github-token:0a1b2c3d] stays as it is",
    ]);

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redact_SecretOfEachKind_MarkerPresentSecretAbsent(string kind, string text, string secret)
    {
        var redacted = _redactor.Redact(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        // The hash covers the whole value (a cookie header's every pair, a key's whole block): the kind is what is fixed.
        Assert.Contains($"[REDACTED:{kind}:", redacted, StringComparison.Ordinal);
        Assert.Matches(MarkerShape(), redacted);
    }

    [Fact]
    public void Secrets_CoverEveryRuleOfTheTable()
    {
        var covered = Secrets().Select(row => (string)row[0]).ToHashSet();

        var uncovered = SecretRules.All.Select(r => r.Kind).Where(k => !covered.Contains(k)).ToList();
        Assert.True(uncovered.Count == 0, "no example for: " + string.Join(", ", uncovered));
    }

    [Theory]
    [MemberData(nameof(Benign))]
    public void Redact_OrdinaryText_Unchanged(string text)
    {
        Assert.Equal(text, _redactor.Redact(text));
    }

    [Fact]
    public void Redact_NoTrigger_ReturnsTheSameInstance()
    {
        var text = "git status && git diff --stat";

        Assert.Same(text, _redactor.Redact(text));
    }

    [Fact]
    public void Redact_KeepsWhatSurroundsTheSecret()
    {
        Assert.Equal($"psql postgres://admin:{_redactor.Marker("url-password", "s3cr3tP4ss")}@db.internal:5432/app",
            _redactor.Redact("psql postgres://admin:s3cr3tP4ss@db.internal:5432/app"));
        Assert.Equal($"curl -H 'Authorization: Bearer {_redactor.Marker("authorization", "abc123def456ghi789")}' https://api.example.com",
            _redactor.Redact("curl -H 'Authorization: Bearer abc123def456ghi789' https://api.example.com"));
        Assert.Equal($"export GITHUB_TOKEN={_redactor.Marker("github-token", "ghp_1234567890abcdefghijklmnopqrstuvwxAB")}",
            _redactor.Redact("export GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxAB"));
    }

    [Fact]
    public void Redact_PrivateKey_RemovesTheWholeBlock()
    {
        var redacted = _redactor.Redact("key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYr\n-----END EC PRIVATE KEY-----\ndone");

        Assert.StartsWith("key:\n[REDACTED:private-key:", redacted, StringComparison.Ordinal);
        Assert.EndsWith("]\ndone", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("END", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_SameSecretTwice_SameMarker_DifferentSecrets_DifferentMarkers()
    {
        var first = _redactor.Redact("DB_PASSWORD=correcthorse");
        var again = _redactor.Redact("export DB_PASSWORD=correcthorse; ./migrate");
        var other = _redactor.Redact("DB_PASSWORD=batterystaple");

        var marker = MarkerShape().Match(first).Value;
        Assert.Contains(marker, again, StringComparison.Ordinal);
        Assert.NotEqual(marker, MarkerShape().Match(other).Value);
    }

    [Fact]
    public void Marker_IsTheHmacPrefixUnderTheKey()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Key, "correcthorse"u8.ToArray()))[..8];

        Assert.Equal($"[REDACTED:secret-assignment:{expected}]", _redactor.Marker("secret-assignment", "correcthorse"));
        Assert.NotEqual(_redactor.Marker("secret-assignment", "correcthorse"), new SecretRedactor(new byte[32]).Marker("secret-assignment", "correcthorse"));
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redact_AlreadyRedacted_Unchanged(string kind, string text, string secret)
    {
        _ = kind;
        _ = secret;
        var once = _redactor.Redact(text);

        Assert.Equal(once, _redactor.Redact(once));
    }

    [Fact]
    public void Redact_LookAlikeMarker_DoesNotShieldWhatFollows()
    {
        var redacted = _redactor.Redact("[REDACTED: AKIAIOSFODNN7EXAMPLE]");

        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void RedactDotEnv_EveryValueGoes_KeysStay()
    {
        var redacted = _redactor.RedactDotEnv("FOO=bar\nexport DEBUG_LEVEL=verbose\n# comment\nDATABASE_HOST=db.internal\n");

        Assert.DoesNotContain("bar", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("verbose", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("db.internal", redacted, StringComparison.Ordinal);
        Assert.Contains("FOO=[REDACTED:dotenv-value:", redacted, StringComparison.Ordinal);
        Assert.Contains("export DEBUG_LEVEL=[REDACTED:dotenv-value:", redacted, StringComparison.Ordinal);
        Assert.Contains("# comment", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void RedactDotEnv_ContentInsideJson_EveryValueGoes()
    {
        var redacted = _redactor.RedactDotEnv("""{"file_path":"/w/.env","content":"FOO=bar1\nBAZ=\"qux2\"\n"}""");

        Assert.DoesNotContain("bar1", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("qux2", redacted, StringComparison.Ordinal);
        Assert.Contains("/w/.env", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void RedactJson_SystemTextJsonEscapes_SecretsSeenWhole()
    {
        var json = """{"command":"curl -H \u0027Authorization: Bearer abc123def456ghi789\u0027 -d \u0027AWS_SECRET_ACCESS_KEY=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\u002B/Ab\u0027"}""";

        var redacted = _redactor.RedactJson(json);

        Assert.DoesNotContain("abc123def456ghi789", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", redacted, StringComparison.Ordinal);
        Assert.Contains("'Authorization: Bearer [REDACTED:authorization:", redacted, StringComparison.Ordinal);
        Assert.Equal("curl -H 'Authorization: Bearer " + _redactor.Marker("authorization", "abc123def456ghi789") + "' -d 'AWS_SECRET_ACCESS_KEY=" +
            _redactor.Marker("aws-secret-access-key", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/Ab") + "'",
            System.Text.Json.JsonDocument.Parse(redacted).RootElement.GetProperty("command").GetString());
    }

    [Fact]
    public void RedactJson_EscapedBackslashBeforeU0027_LeftAsItIs()
    {
        const string json = """{"text":"a \\u0027 b \u0022 c"}""";

        var redacted = _redactor.RedactJson(json);

        Assert.Equal("""{"text":"a \\u0027 b \" c"}""", redacted);
        Assert.Equal("a \\u0027 b \" c", System.Text.Json.JsonDocument.Parse(redacted).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Redact_TokenAfterAJsonEscape_StillFound()
    {
        var redacted = _redactor.Redact("""{"c":"echo \u0027ghp_1234567890abcdefghijklmnopqrstuvwxAB\u0027 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"}""");

        Assert.DoesNotContain("ghp_1234567890", redacted, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:jwt:", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void RedactDotEnv_MultiLinePrivateKeyValue_WholeBlockGoes()
    {
        var redacted = _redactor.RedactDotEnv("KEY=\"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9XyZ\n-----END RSA PRIVATE KEY-----\"\nB=2");

        Assert.DoesNotContain("MIIEpAIBAAKCAQEA7bq9XyZ", redacted, StringComparison.Ordinal);
        Assert.Contains("KEY=\"[REDACTED:private-key:", redacted, StringComparison.Ordinal);
        Assert.Contains("B=[REDACTED:dotenv-value:", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".env", true)]
    [InlineData("/repo/.env", true)]
    [InlineData("config/.env.local", true)]
    [InlineData("deploy/production.env", true)]
    [InlineData("src/environment.ts", false)]
    [InlineData("docs/env.md", false)]
    [InlineData("", false)]
    public void IsDotEnvPath_Names(string path, bool expected)
    {
        Assert.Equal(expected, SecretRedactor.IsDotEnvPath(path));
    }

    [Fact]
    public void Rules_AreNonBacktracking()
    {
        Assert.All(SecretRules.All.Append(SecretRules.DotEnv), r => Assert.True(r.Pattern.Options.HasFlag(RegexOptions.NonBacktracking), r.Kind));
    }

    [Fact]
    public void ShannonEntropy_KnownValues()
    {
        Assert.Equal(0, SecretRules.ShannonEntropy("aaaa"));
        Assert.Equal(4, SecretRules.ShannonEntropy("abcdefghijklmnop"), 6);
    }

    [Fact]
    public void Redact_LargeTextWithoutSecrets_IsFast()
    {
        var text = string.Concat(Enumerable.Repeat("git commit -m 'fix the parser' && dotnet build -c Release; ", 2000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.Same(text, _redactor.Redact(text));
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 passes over {text.Length} chars took {watch.Elapsed}");
    }

    [GeneratedRegex(@"\[REDACTED:[a-z\-]+:[0-9a-f]{8}\]", RegexOptions.NonBacktracking)]
    private static partial Regex MarkerShape();
}
