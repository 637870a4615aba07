// Extra check: scans content an agent is about to write for credentials, by known token formats and by the
// entropy of quoted strings assigned to secret-sounding names. It adds warnings; personas decide the verdict.

static readonly (string Name, string Pattern)[] Formats =
[
    ("aws-access-key", @"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("github-token", @"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b"),
    ("slack-token", @"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    ("stripe-key", @"\b(sk|rk)_live_[A-Za-z0-9]{20,}\b"),
    ("google-api-key", @"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("private-key", @"-----BEGIN (RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----"),
    ("jwt", @"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b"),
];

static double Entropy(string s)
{
    var counts = s.GroupBy(c => c).Select(g => (double)g.Count() / s.Length);
    return -counts.Sum(p => p * Math.Log2(p));
}

return new PluginScript
{
    Id = "secret-scan",
    Name = "Secret scan",
    Description = "Warns when written content contains credentials: known token formats or high-entropy secret assignments.",
    Check = (op, ct) =>
    {
        var warnings = new List<GovernanceWarning>();
        var text = op.Content.Length > 200_000 ? op.Content[..200_000] : op.Content;
        if (text.Length == 0 || Regex.IsMatch(op.FilePath, @"\.(example|sample|template)$|(^|/)(test|tests|fixtures?)/", RegexOptions.NonBacktracking)) return warnings;
        foreach (var (name, pattern) in Formats)
        {
            if (Regex.IsMatch(text, pattern, RegexOptions.NonBacktracking))
                warnings.Add(new GovernanceWarning(name, Severity.Critical,
                    $"The content contains what looks like a {name.Replace('-', ' ')}. Read it from an environment variable or the secret store instead, and rotate it if it was real.", ""));
        }
        foreach (Match m in Regex.Matches(text, @"(?i)\b[\w.-]*(secret|token|passw(or)?d|api[_-]?key|private[_-]?key)[\w.-]*\s*[:=]\s*[""']([^""'\s]{16,})[""']",
                     RegexOptions.NonBacktracking))
        {
            var value = m.Groups[3].Value;
            if (Entropy(value) >= 3.5 && !Regex.IsMatch(value, @"^\$\{|^<|changeme|example|placeholder|x{6,}", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking))
            {
                warnings.Add(new GovernanceWarning("high-entropy-secret", Severity.High,
                    "A secret-looking value is hard-coded. Load it from configuration (environment variable, secret manager) and keep a placeholder in the file.", ""));
                break;
            }
        }
        return warnings;
    },
};
