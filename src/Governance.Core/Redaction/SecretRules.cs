using System.Text.RegularExpressions;

namespace Governance.Core.Redaction;

/// <summary>
/// The table of secrets the audit and the log never keep. Order matters: tokens recognised by their own shape go
/// first, so a <c>GITHUB_TOKEN=ghp_…</c> is marked github-token, and the rules that only know a key's name run last
/// (a value already replaced by a marker is left alone).
/// </summary>
public static class SecretRules
{
    private static readonly string[] SecretWords =
        ["token", "secret", "passw", "api_key", "api-key", "apikey", "access_key", "access-key", "accesskey", "private_key", "private-key", "privatekey", "credential", "auth"];

    /// <summary>Shannon entropy, in bits per character, from which a value in a key position counts as a secret.</summary>
    public const double EntropyThreshold = 3.5;

    /// <summary>The shortest value the entropy rule considers.</summary>
    public const int EntropyMinLength = 16;

    public static IReadOnlyList<RedactionRule> All { get; } =
    [
        new("private-key", SecretPatterns.PrivateKeyBlock(), ["PRIVATE KEY"]),
        new("jwt", SecretPatterns.JsonWebToken(), ["eyJ"]),
        new("aws-access-key-id", SecretPatterns.AwsAccessKeyId(), ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"]),
        new("aws-secret-access-key", SecretPatterns.AwsSecretAccessKey(), ["access_key", "accesskey"]),
        new("github-token", SecretPatterns.GitHubToken(), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        new("gitlab-token", SecretPatterns.GitLabToken(), ["glpat-"]),
        new("slack-token", SecretPatterns.SlackToken(), ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"]),
        new("stripe-key", SecretPatterns.StripeKey(), ["sk_live_", "rk_live_", "sk_test_", "rk_test_"]),
        new("npm-token", SecretPatterns.NpmToken(), ["npm_"]),
        new("pypi-token", SecretPatterns.PyPiToken(), ["pypi-"]),
        new("url-password", SecretPatterns.UrlPassword(), ["://"], NotAReference),
        new("connection-string-password", SecretPatterns.ConnectionStringPassword(), ["password", "pwd"], NotAReference),
        new("authorization", SecretPatterns.AuthorizationHeader(), ["authorization"], NotAReference),
        new("cookie", SecretPatterns.CookieHeader(), ["cookie"], NotAReference),
        new("secret-assignment", SecretPatterns.SecretAssignment(), SecretWords, IsLiteralValue),
        new("high-entropy", SecretPatterns.HighEntropyKeyValue(), SecretWords, IsHighEntropyValue),
    ];

    /// <summary>Every value of a .env file being read or written; applied only when the decision's path is one.</summary>
    public static RedactionRule DotEnv { get; } = new("dotenv-value", SecretPatterns.DotEnvValue(), ["="], NotAReference);

    /// <summary>Bits per character of the value's character distribution.</summary>
    public static double ShannonEntropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }
        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        double entropy = 0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / value.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }

    /// <summary>
    /// <c>$TOKEN</c>, <c>${TOKEN}</c> and <c>$(command)</c> name where a secret comes from; they are not one. Lower-case
    /// <c>$abc</c> could be a literal password, so only the conventional upper-case variable names pass.
    /// </summary>
    private static bool NotAReference(string text, Group secret)
    {
        var value = secret.ValueSpan;
        if (value.Length < 2 || value[0] != '$')
        {
            return true;
        }
        if (value[1] is '{' or '(')
        {
            return false;
        }
        foreach (var c in value[1..])
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A literal after a secret key: not a variable, a boolean or null, nor code (a call, an index, a member).</summary>
    private static bool IsLiteralValue(string text, Group secret)
    {
        if (!NotAReference(text, secret))
        {
            return false;
        }
        var value = secret.ValueSpan;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase) ||
            value.Equals("null", StringComparison.OrdinalIgnoreCase) || value.Equals("none", StringComparison.OrdinalIgnoreCase) ||
            value.Equals("nil", StringComparison.OrdinalIgnoreCase) || value.Equals("undefined", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var end = secret.Index + secret.Length;
        if (end < text.Length && text[end] is '(' or '[')
        {
            return false; // token = get_token(), password = env["X"]
        }
        return !IsDottedIdentifier(value); // token = os.environ, secret: config.secret
    }

    private static bool IsDottedIdentifier(ReadOnlySpan<char> value)
    {
        var dots = 0;
        var start = true;
        foreach (var c in value)
        {
            if (c == '.')
            {
                if (start)
                {
                    return false;
                }
                dots++;
                start = true;
                continue;
            }
            if (!(char.IsAsciiLetter(c) || c == '_' || (!start && char.IsAsciiDigit(c))))
            {
                return false;
            }
            start = false;
        }
        return dots > 0 && !start;
    }

    /// <summary>Long, random-looking (entropy and a mix of character classes), and not a path or a URL.</summary>
    private static bool IsHighEntropyValue(string text, Group secret)
    {
        var value = secret.ValueSpan;
        if (value[0] is '/' or '.' or '~' || value.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }
        var end = secret.Index + secret.Length;
        if (end < text.Length && text[end] is '/' or ':' or '(')
        {
            return false; // a path or URL that goes on, or a call
        }
        return MixesCharacterClasses(value) && ShannonEntropy(value) >= EntropyThreshold;
    }

    /// <summary>
    /// Generated secrets mix digits with letters, or both cases with a digit or a base64 symbol; names written as words
    /// (github-enterprise-oauth, production_database) do not, though their entropy is as high.
    /// </summary>
    private static bool MixesCharacterClasses(ReadOnlySpan<char> value)
    {
        int upper = 0, lower = 0, digits = 0, symbols = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                upper++;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                lower++;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is '+' or '/' or '=')
            {
                symbols++;
            }
        }
        return (digits >= 2 && upper + lower >= 2) || (upper >= 2 && lower >= 2 && digits + symbols >= 1);
    }
}
