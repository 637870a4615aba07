using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Governance.Core.Redaction;

/// <summary>
/// Replaces secrets in text with <c>[REDACTED:kind:hash]</c> before anything is stored or logged. The hash is the first
/// 8 hex digits of HMAC-SHA256 under this installation's key, so the same secret gives the same marker (records can
/// still be correlated) while the marker reveals nothing to whoever lacks the key. One-way: nothing restores the text.
/// </summary>
public sealed class SecretRedactor
{
    public const string MarkerPrefix = "[REDACTED:";

    private readonly byte[] _key;
    private readonly IReadOnlyList<RedactionRule> _rules;
    private readonly SearchValues<string> _anyTrigger;

    public SecretRedactor(byte[] key) : this(key, SecretRules.All)
    {
    }

    public SecretRedactor(byte[] key, IReadOnlyList<RedactionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("the redaction key must be at least 16 bytes", nameof(key));
        }
        _key = (byte[])key.Clone();
        _rules = rules;
        _anyTrigger = SearchValues.Create([.. rules.SelectMany(r => r.Triggers).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A redactor whose markers correlate only within this process (before the data directory's key is known).</summary>
    public static SecretRedactor WithRandomKey() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The text with every secret of the table replaced; the same instance when there is none (the common case).</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAny(_anyTrigger))
        {
            return text;
        }
        var current = text;
        foreach (var rule in _rules)
        {
            current = Apply(rule, current);
        }
        return current;
    }

    /// <summary>
    /// JSON text (a context as received, a response): the ASCII escapes System.Text.Json writes for <c>' + &amp; &lt; &gt; `</c>
    /// (<c>\u0027</c>, ...) are written as the characters first, which JSON allows, so a quoted or base64 secret is seen
    /// whole; then the table runs.
    /// </summary>
    [return: NotNullIfNotNull(nameof(json))]
    public string? RedactJson(string? json) => Redact(UnescapeAscii(json));

    /// <summary><see cref="RedactJson"/> for a .env file's decision: every value of the content goes too.</summary>
    [return: NotNullIfNotNull(nameof(json))]
    public string? RedactDotEnvJson(string? json) => RedactDotEnv(UnescapeAscii(json));

    /// <summary>
    /// Content of a .env file being read or written: the table runs first (a multi-line private key is one block, not
    /// a first line), then every value after <c>=</c> that is left goes, whatever its key.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? RedactDotEnv(string? text) => string.IsNullOrEmpty(text) ? text : Apply(SecretRules.DotEnv, Redact(text));

    private static string? UnescapeAscii(string? json)
    {
        if (json is null || !json.Contains("\\u00", StringComparison.Ordinal))
        {
            return json;
        }
        var builder = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c != '\\' || i + 1 >= json.Length)
            {
                builder.Append(c);
                continue;
            }
            // An escape: \\ and \" stay as they are (so an escaped backslash before "u0027" is not mistaken for one).
            if (json[i + 1] == 'u' && i + 5 < json.Length && Unescaped(json.AsSpan(i + 2, 4)) is { } plain)
            {
                builder.Append(plain);
                i += 5;
                continue;
            }
            builder.Append(c).Append(json[i + 1]);
            i++;
        }
        return builder.ToString();
    }

    /// <summary>The characters that need no escape in a JSON string and carry secrets' punctuation; <c>"</c> keeps its short escape.</summary>
    private static string? Unescaped(ReadOnlySpan<char> hex) => hex switch
    {
        "0027" => "'",
        "002B" or "002b" => "+",
        "0026" => "&",
        "003C" or "003c" => "<",
        "003E" or "003e" => ">",
        "0060" => "`",
        "0022" => "\\\"",
        _ => null,
    };

    /// <summary>.env, .env.local, production.env, ...: files whose every value is treated as a secret.</summary>
    public static bool IsDotEnvPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        var name = Path.GetFileName(path.AsSpan().TrimEnd(['/', '\\', ' ']));
        return name.Equals(".env", StringComparison.OrdinalIgnoreCase) ||
               name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase) ||
               (name.Length > 4 && name.EndsWith(".env", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The marker for this secret: <c>[REDACTED:kind:8 hex]</c>.</summary>
    public string Marker(string kind, ReadOnlySpan<char> secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret.ToArray());
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, bytes, mac);
        return $"{MarkerPrefix}{kind}:{Convert.ToHexStringLower(mac[..4])}]";
    }

    private string Apply(RedactionRule rule, string text)
    {
        if (!text.AsSpan().ContainsAny(rule.TriggerValues))
        {
            return text;
        }
        return rule.Pattern.Replace(text, match =>
        {
            var secret = match.Groups[rule.SecretGroupNumber];
            if (!secret.Success || secret.Length == 0 || InsideMarker(text, secret.Index) || rule.Accept?.Invoke(text, secret) == false)
            {
                return match.Value;
            }
            var before = match.ValueSpan[..(secret.Index - match.Index)];
            var after = match.ValueSpan[(secret.Index + secret.Length - match.Index)..];
            return string.Concat(before, Marker(rule.Kind, secret.ValueSpan), after);
        });
    }

    /// <summary>True when the position is within a marker an earlier rule wrote: markers are never redacted again.</summary>
    private static bool InsideMarker(string text, int index)
    {
        var searched = Math.Min(text.Length, index + MarkerPrefix.Length);
        var start = text.AsSpan(0, searched).LastIndexOf(MarkerPrefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }
        var end = text.IndexOf(']', start);
        return end >= index && IsMarker(text.AsSpan(start, end - start + 1));
    }

    /// <summary>Exactly <c>[REDACTED:kind:8 hex]</c>: a look-alike typed into a command does not shield what follows it.</summary>
    private static bool IsMarker(ReadOnlySpan<char> candidate)
    {
        var body = candidate[MarkerPrefix.Length..^1];
        var colon = body.LastIndexOf(':');
        if (colon <= 0 || body.Length - colon - 1 != 8)
        {
            return false;
        }
        foreach (var c in body[..colon])
        {
            if (!(char.IsAsciiLetterLower(c) || c == '-'))
            {
                return false;
            }
        }
        foreach (var c in body[(colon + 1)..])
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }
}
