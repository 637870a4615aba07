using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;

namespace Governance.Analysis.Effects;

/// <summary>Checks the content of a file edit: planted credentials, TLS verification turned off, input evaluated as code, skipped tests, weakened CI.</summary>
internal static partial class ContentScanner
{
    private const int MaxContent = 256 * 1024;

    private static readonly string[] Placeholders =
    [
        "example", "placeholder", "changeme", "change-me", "your", "xxx", "dummy", "fake", "sample", "<", "${", "{{", "process.env", "os.environ", "getenv",
        "redacted", "****", "not-a-real", "not_a_real", "notreal", "not-real", "todo", "secret_here", "insert", "replace", "...", "test-key", "testkey",
    ];

    private const int GeneratedSize = 200_000;
    private const int GeneratedLine = 5_000;

    /// <summary>Why the content looks machine-written (huge, or minified into very long lines), or null.</summary>
    private static string? Generated(string content)
    {
        if (content.Length >= GeneratedSize)
        {
            return $"{content.Length:N0} characters";
        }
        var text = content.AsSpan();
        while (text.Length >= GeneratedLine)
        {
            var end = text.IndexOf('\n');
            if ((end < 0 ? text.Length : end) >= GeneratedLine)
            {
                return $"a line of {GeneratedLine:N0} characters or more";
            }
            text = text[(end + 1)..];
        }
        return null;
    }

    public static void Collect(string path, string content, string oldContent, string command, PathTarget target, EffectBuilder effects)
    {
        if (content.Length == 0)
        {
            return;
        }
        var targets = new[] { target };
        if (Generated(content) is { } generated)
        {
            effects.Add(EffectKinds.ContentGenerated, command, targets, generated);
        }
        if (content.Length > MaxContent)
        {
            content = content[..MaxContent];
        }
        if (Secret(content) is { } secret && (oldContent.Length == 0 || Secret(oldContent) != secret))
        {
            effects.Add(EffectKinds.ContentSecret, command, targets, secret);
        }
        var prose = IsProse(path);
        if (!prose && TlsDisabled().Match(content) is { Success: true } tls && !TlsDisabled().IsMatch(oldContent))
        {
            effects.Add(EffectKinds.ContentTlsDisabled, command, targets, tls.Value.Trim());
        }
        if (!prose && EvaluatedInput(content) is { } eval && EvaluatedInput(oldContent) is null)
        {
            effects.Add(EffectKinds.ContentEvalInput, command, targets, eval);
        }
        if (!prose && TestSkip().Count(content) > TestSkip().Count(oldContent))
        {
            effects.Add(EffectKinds.ContentTestSkipped, command, targets, TestSkip().Match(content).Value.Trim(), "skipped");
        }
        else if (!prose && oldContent.Length > 0 && TestCase().Count(oldContent) > TestCase().Count(content))
        {
            effects.Add(EffectKinds.ContentTestSkipped, command, targets, "test cases removed", "removed");
        }
        if (!prose && SecurityWeakened(path, content, oldContent) is { } weakening)
        {
            effects.Add(EffectKinds.ContentSecurityWeakened, command, targets, weakening);
        }
        if (target.IsCiConfig)
        {
            var weakened = CiWeakened().Match(content);
            if (weakened.Success && !CiWeakened().IsMatch(oldContent))
            {
                effects.Add(EffectKinds.ContentCiWeakened, command, targets, weakened.Value.Trim());
            }
            else if (oldContent.Length > 0 && CiTestStep().Count(oldContent) > CiTestStep().Count(content))
            {
                effects.Add(EffectKinds.ContentCiWeakened, command, targets, "test or check step removed");
            }
        }
    }

    // eval(req.body) directly, or code = request.form["code"] ... exec(code) through one variable.
    private static string? EvaluatedInput(string content)
    {
        if (content.Length == 0)
        {
            return null;
        }
        if (EvalInput().Match(content) is { Success: true } direct)
        {
            return direct.Value.Trim();
        }
        var tainted = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match assignment in TaintedAssignment().Matches(content))
        {
            tainted.Add(assignment.Groups["v"].Value);
        }
        if (tainted.Count > 0)
        {
            foreach (Match use in EvaluatedVariable().Matches(content))
            {
                if (tainted.Contains(use.Groups["v"].Value))
                {
                    return use.Value.Trim() + " of request or user input";
                }
            }
        }
        return null;
    }

    // A control the old text enforced that the new one no longer does (commented out counts as gone), or an insecure
    // construct the new text brings in.
    private static string? SecurityWeakened(string path, string content, string oldContent)
    {
        if (oldContent.Length > 0)
        {
            var before = Code(oldContent);
            var after = Code(content);
            foreach (Match control in SecurityControl().Matches(before))
            {
                if (Count(SecurityControl(), after, control.Value) < Count(SecurityControl(), before, control.Value))
                {
                    return "removes " + control.Value.Trim();
                }
            }
        }
        foreach (Match insecure in InsecureConstruct().Matches(content))
        {
            if (Count(InsecureConstruct(), oldContent, insecure.Value) == 0)
            {
                return "adds " + insecure.Value.Trim();
            }
        }
        if (path.Contains("prod", StringComparison.OrdinalIgnoreCase) && DebugOn().Match(content) is { Success: true } debug && !DebugOn().IsMatch(oldContent))
        {
            return "adds " + debug.Value.Trim() + " in production settings";
        }
        if (OpenIngress().IsMatch(content) && !OpenIngress().IsMatch(oldContent) && SensitivePort().IsMatch(content))
        {
            return "opens an administrative or database port to 0.0.0.0/0";
        }
        return null;
    }

    private static int Count(Regex pattern, string text, string value)
    {
        var count = 0;
        foreach (Match match in pattern.Matches(text))
        {
            if (match.Value == value)
            {
                count++;
            }
        }
        return count;
    }

    // The text without comment lines, so "// r.Use(RequireAuth)" no longer counts as the control.
    private static string Code(string text) => CommentLine().Replace(text, "");

    private static bool IsProse(string path) =>
        path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".rst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".adoc", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".mdx", StringComparison.OrdinalIgnoreCase);

    internal static string? Secret(string content)
    {
        foreach (Match match in SecretToken().Matches(content))
        {
            var value = match.Value;
            if (value.Contains("EXAMPLE", StringComparison.Ordinal) || value.Contains("example", StringComparison.Ordinal))
            {
                continue;
            }
            return match.Groups["kind"].Success ? KindOf(value) : "token";
        }
        foreach (Match match in HardCodedCredential().Matches(content))
        {
            var value = match.Groups["v"].Value.ToLowerInvariant();
            if (!Placeholders.Any(p => value.Contains(p, StringComparison.Ordinal)) && value.Distinct().Count() > 3)
            {
                return "hard-coded " + match.Groups["k"].Value.ToLowerInvariant();
            }
        }
        foreach (Match match in ConnectionPassword().Matches(content))
        {
            var value = match.Groups["p"].Value.ToLowerInvariant();
            if (!Placeholders.Any(p => value.Contains(p, StringComparison.Ordinal)) && value is not ("password" or "pass" or "postgres" or "root" or "secret"))
            {
                return "password in connection string";
            }
        }
        return null;
    }

    private static string KindOf(string value) =>
        value.StartsWith("AKIA", StringComparison.Ordinal) || value.StartsWith("ASIA", StringComparison.Ordinal) ? "AWS access key" :
        value.StartsWith("-----BEGIN", StringComparison.Ordinal) ? "private key" :
        value.StartsWith("gh", StringComparison.Ordinal) || value.StartsWith("github_pat_", StringComparison.Ordinal) ? "GitHub token" :
        value.StartsWith("sk_live_", StringComparison.Ordinal) || value.StartsWith("rk_live_", StringComparison.Ordinal) ? "Stripe live key" :
        value.StartsWith("xox", StringComparison.Ordinal) ? "Slack token" :
        value.StartsWith("AIza", StringComparison.Ordinal) ? "Google API key" :
        value.StartsWith("glpat-", StringComparison.Ordinal) ? "GitLab token" :
        value.StartsWith("npm_", StringComparison.Ordinal) ? "npm token" :
        value.StartsWith("SG.", StringComparison.Ordinal) ? "SendGrid key" :
        value.StartsWith("sk-", StringComparison.Ordinal) ? "API secret key" : "token";

    [GeneratedRegex(@"(?<kind>(?:AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|(?:sk|rk)_live_[0-9A-Za-z]{16,}|xox[baprse]-[0-9A-Za-z-]{10,}|AIza[0-9A-Za-z_\-]{35}|glpat-[0-9A-Za-z_\-]{20,}|npm_[A-Za-z0-9]{36}|SG\.[\w-]{22}\.[\w-]{43}|sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{32,})", RegexOptions.NonBacktracking)]
    private static partial Regex SecretToken();

    [GeneratedRegex("""(?i)(?<k>password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|token|client[_-]?secret|private[_-]?key)["']?\s*[:=]\s*["'](?<v>[^"'\s]{8,})["']""", RegexOptions.NonBacktracking)]
    private static partial Regex HardCodedCredential();

    [GeneratedRegex(@"(?i)\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqp|mssql)://[^:/\s@]+:(?<p>[^@/\s]{4,})@|(?:Host|Server|Data Source)=[^""'\n]{0,200}?\b(?:Password|Pwd)\s*=\s*(?<p>[^;""'\s]{6,})", RegexOptions.NonBacktracking)]
    private static partial Regex ConnectionPassword();

    [GeneratedRegex(@"(?i)verify\s*=\s*False|rejectUnauthorized[""']?\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED[""']?\s*[:=]\s*[""']?0|InsecureSkipVerify\s*:\s*true|ServerCertificateCustomValidationCallback\s*=[^;\n]*=>\s*true|DangerousAcceptAnyServerCertificateValidator|ServerCertificateValidationCallback\s*[+]?=[^;\n]*=>\s*true|_create_unverified_context|ssl\.CERT_NONE|check_hostname\s*=\s*False|strict-?ssl[""']?\s*[:=]\s*[""']?false|NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER|TrustAllCerts|trustAllCertificates|PYTHONHTTPSVERIFY\s*=\s*[""']?0|GIT_SSL_NO_VERIFY\s*=\s*[""']?(?:1|true)|sslVerify\s*=\s*false|\bcurl\b[^\n]{0,500}\s(?:-k|--insecure)\b|\bwget\b[^\n]{0,500}--no-check-certificate|CURLOPT_SSL_VERIFYPEER\s*,\s*(?:false|0)|verify_ssl\s*[:=]\s*False|ssl_verify\s*[:=]\s*(?:false|False|0)|VERIFY_NONE|insecure\s*:\s*true", RegexOptions.NonBacktracking)]
    private static partial Regex TlsDisabled();

    [GeneratedRegex(@"\b(?:eval|exec|Function|execSync|setTimeout|vm\.runInThisContext|pickle\.loads|yaml\.load|Invoke-Expression|instance_eval|class_eval|compile)\s*\(\s*(?:new\s+Function\s*\(\s*)?(?:req\b|request\b|req\.|request\.|params\b|params\[|input\s*\(|raw_input\s*\(|body\b|ctx\.request|event\[|event\.body|sys\.argv|process\.argv|argv|\$_(?:GET|POST|REQUEST|COOKIE)|user_input|userInput|data\b|payload\b|cgi\.)", RegexOptions.NonBacktracking)]
    private static partial Regex EvalInput();

    [GeneratedRegex(@"\b(?<v>[A-Za-z_]\w*)\s*=\s*(?:request|req|params|flask\.request|ctx\.request|event)\b[.\[]|\b(?<v>[A-Za-z_]\w*)\s*=\s*(?:input|raw_input)\s*\(|\b(?<v>[A-Za-z_]\w*)\s*=\s*(?:sys\.argv|process\.argv)\s*\[", RegexOptions.NonBacktracking)]
    private static partial Regex TaintedAssignment();

    [GeneratedRegex(@"\b(?:eval|exec|Function|execSync|compile|vm\.runInThisContext|instance_eval)\s*\(\s*(?<v>[A-Za-z_]\w*)\s*[,)]", RegexOptions.NonBacktracking)]
    private static partial Regex EvaluatedVariable();

    [GeneratedRegex(@"\[(?:Fact|Theory|Test|TestMethod)\s*\(\s*Skip\s*=|\[Ignore(?:\(|\])|@Ignore\b|@Disabled\b|@pytest\.mark\.skip(?:if)?\b|@unittest\.skip\w*|\bpytest\.skip\s*\(|\b(?:it|test|describe|context)\.(?:skip|todo)\s*\(|\bx(?:it|describe|test|context)\s*\(|\bt\.Skip(?:f|Now)?\s*\(|#\[ignore\]|\b(?:it|test|describe)\.only\s*\(|\bf(?:it|describe)\s*\(|\bskip\s*\(\s*['""]|@skip\b|markTestSkipped|this\.skip\(\)", RegexOptions.NonBacktracking)]
    private static partial Regex TestSkip();

    [GeneratedRegex(@"\[(?:Fact|Theory|Test|TestMethod|TestCase)\b|\bdef\s+test_\w+|\bfunc\s+Test\w+\s*\(|\b(?:it|test)\s*\(\s*['""`]|@Test\b|#\[test\]|\bassert\w*\s*[\(.]|\bAssert\.\w+\s*\(|\bexpect\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex TestCase();

    [GeneratedRegex(@"(?m)^\s*(?:-\s*)?if:\s*(?:false|\$\{\{\s*false\s*\}\})\s*$|continue-on-error:\s*true|allow_failure:\s*true|\b(?:test|pytest|jest|npm\s+(?:run\s+)?test|dotnet\s+test|go\s+test|cargo\s+test|mvn\s+test|gradle\s+test)\b[^\n]{0,300}\|\|\s*(?:true|exit\s+0|:)|when:\s*never", RegexOptions.NonBacktracking)]
    private static partial Regex CiWeakened();

    [GeneratedRegex(@"(?i)\b(?:test|pytest|jest|vitest|npm\s+(?:run\s+)?test|dotnet\s+test|go\s+test|cargo\s+test|mvn\s+(?:-\S+\s+)*(?:test|verify)|gradle\w*\s+(?:test|check)|rspec|phpunit|lint|codeql|security|scan|audit)\b", RegexOptions.NonBacktracking)]
    private static partial Regex CiTestStep();

    [GeneratedRegex(@"(?m)^[ \t]*(?://|#|--|/\*|\*).*$", RegexOptions.NonBacktracking)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"@login_required|@permission_required|@requires_auth|@auth_required|\bRequireAuth\b|\brequireAuth\b|\bensureAuthenticated\b|\bIsAuthenticated\b|\bisAuthenticated\(\)|\.authenticated\(\)|\bhasRole\(|\bhasAuthority\(|@PreAuthorize|@Secured|\[Authorize\b|\bhelmet\(\)|\brateLimit\(|\bcsrf_protect\b|CsrfViewMiddleware|\bcsrf\(\)|\bcsurf\b|\bjwt\.verify\(|\bverify_signature\b|status\(40[13]\)|sendStatus\(40[13]\)|HttpStatus\.(?:UNAUTHORIZED|FORBIDDEN)|abort\(40[13]\)|raise PermissionDenied|\bbcrypt\b|\bargon2\b|\bscrypt\b", RegexOptions.NonBacktracking)]
    private static partial Regex SecurityControl();

    [GeneratedRegex(@"@csrf_exempt|\bcsrf_exempt\b|\.permitAll\(\)|\bAllowAny\b|\[AllowAnonymous\]|@PermitAll|\bjwt\.decode\(\s*\w+\s*\)|algorithms\s*[:=]\s*\[\s*['""]none['""]|\bhashlib\.(?:md5|sha1)\(|createHash\(\s*['""](?:md5|sha1)['""]\s*\)|MessageDigest\.getInstance\(\s*""(?:MD5|SHA-?1)""\s*\)|\bssl_protocols\b[^;\n]*\b(?:SSLv[23]|TLSv1|TLSv1\.1)[ ;]|\bacl\s*=\s*""public-read(?:-write)?""|\bblock_public_(?:acls|policy)\s*=\s*false|(?:SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SECURE_SSL_REDIRECT|SESSION_COOKIE_HTTPONLY)\s*=\s*False|\.execute\(\s*f['""]|\.execute\(\s*['""][^'""\n]*['""]\s*(?:%|\+)\s*\w|\byaml\.load\([^)\n]*Loader\s*=\s*yaml\.(?:Loader|UnsafeLoader)|\byaml\.unsafe_load\(|\bpickle\.loads?\(\s*request", RegexOptions.NonBacktracking)]
    private static partial Regex InsecureConstruct();

    [GeneratedRegex(@"(?m)^\s*DEBUG\s*=\s*True\b", RegexOptions.NonBacktracking)]
    private static partial Regex DebugOn();

    [GeneratedRegex(@"cidr_blocks?\s*=\s*\[?\s*""0\.0\.0\.0/0""|CidrIp:\s*['""]?0\.0\.0\.0/0|source_ranges\s*=\s*\[\s*""0\.0\.0\.0/0""", RegexOptions.NonBacktracking)]
    private static partial Regex OpenIngress();

    [GeneratedRegex(@"(?:from_port|FromPort|ports?)\s*[:=]\s*\[?\s*['""]?(?:22|3389|5432|3306|6379|27017|9200|2375)\b", RegexOptions.NonBacktracking)]
    private static partial Regex SensitivePort();
}
