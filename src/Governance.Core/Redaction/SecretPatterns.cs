using System.Text.RegularExpressions;

namespace Governance.Core.Redaction;

/// <summary>
/// The patterns of <see cref="SecretRules"/>. Each names the secret's group <c>secret</c>; what surrounds it (a key, a
/// scheme and user, a header name) stays readable. Quotes may be JSON-escaped (<c>\"</c>): records hold JSON text.
/// Token patterns do not start with <c>\b</c>: in JSON a token may follow an escape such as <c>\u0027</c>, a word character.
/// </summary>
internal static partial class SecretPatterns
{
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // A key and its separator in shell, .env, YAML, JSON or escaped JSON: KEY=, key: , "key": ", \"key\":\"
    private const string Separator = @"\\?[""']?[ \t]*[:=][ \t]*\\?[""']?";

    [GeneratedRegex(@"-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:,\-]*)", Linear)]
    public static partial Regex PrivateKeyBlock();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", Linear)]
    public static partial Regex JsonWebToken();

    [GeneratedRegex(@"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b", Linear)]
    public static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i:(?:aws_?)?secret_?access_?key)[\s:=\\""']{1,8}(?<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)", Linear)]
    public static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?:gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{22,255})", Linear)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"glpat-[A-Za-z0-9_\-]{20,}", Linear)]
    public static partial Regex GitLabToken();

    [GeneratedRegex(@"xox[abprs]-[A-Za-z0-9\-]{10,}", Linear)]
    public static partial Regex SlackToken();

    [GeneratedRegex(@"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}", Linear)]
    public static partial Regex StripeKey();

    [GeneratedRegex(@"npm_[A-Za-z0-9]{36,}", Linear)]
    public static partial Regex NpmToken();

    [GeneratedRegex(@"pypi-[A-Za-z0-9_\-]{40,}", Linear)]
    public static partial Regex PyPiToken();

    // scheme://user:password@host — only the password goes.
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^\s:/@'""\\]*:(?<secret>[^\s@/'""\\]+)@", Linear)]
    public static partial Regex UrlPassword();

    // Password=...; / Pwd=...; in an ADO.NET-style connection string: after a ';' or before one.
    [GeneratedRegex(@";[ \t]*(?i:password|pwd)[ \t]*=[ \t]*(?<secret>[^;'""\s\\]+)|(?i:\b(?:password|pwd))[ \t]*=[ \t]*(?<secret>[^;'""\s\\]+);", Linear)]
    public static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i:(?:proxy-)?authorization" + Separator + @"(?:(?:bearer|basic|token|digest|negotiate)[ \t]+)?)(?<secret>[^\s'""\\,;]+)", Linear)]
    public static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?i:(?:set-)?cookie\\?[""']?[ \t]*:[ \t]*\\?[""']?)(?<secret>[^\r\n""'\\]+)", Linear)]
    public static partial Regex CookieHeader();

    // NAME_TOKEN=, NAME_SECRET=, PASSWORD=, API_KEY=, client_secret:, "password": — the key ends with the secret word.
    [GeneratedRegex(@"(?i:[A-Za-z0-9_.\-]*(?:token|secret|passw(?:or)?d|api[_\-]?key|access[_\-]?key|private[_\-]?key|secret[_\-]?key|credentials?))" + Separator + @"(?<secret>[^\s""'\\,;&|<>()\[\]{}`]+)", Linear)]
    public static partial Regex SecretAssignment();

    // A long value under any key that mentions a secret word (SECRET_KEY_BASE, auth_header, credentials_json, ...).
    [GeneratedRegex(@"(?i:[A-Za-z0-9_.\-]*(?:token|secret|passw(?:or)?d|api[_\-]?key|apikey|private[_\-]?key|credential|auth)[A-Za-z0-9_.\-]*)" + Separator + @"(?<secret>[A-Za-z0-9+/=_\-.~]{16,})", Linear)]
    public static partial Regex HighEntropyKeyValue();

    // Every value of a .env file: KEY=value on each line, lines also as JSON's \n inside a string.
    [GeneratedRegex(@"(?:^|\n|\\n|""|')[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.\-]*[ \t]*=[ \t]*\\?[""']?(?<secret>[^\r\n""'\\]+)", Linear)]
    public static partial Regex DotEnvValue();
}
