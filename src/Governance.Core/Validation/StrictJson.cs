using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Governance.Core.Validation;

/// <summary>
/// How every surface reads a request's JSON: valid UTF-8, no byte order mark, no duplicate keys (another parser may
/// take the other copy — the guard must see what the agent's client sees), bounded depth, nothing after the value.
/// Problems come back in the product's words, with the position.
/// </summary>
public static class StrictJson
{
    public const int DefaultMaxDepth = 64;

    public static JsonDocumentOptions Options(int maxDepth = DefaultMaxDepth) => new()
    {
        MaxDepth = maxDepth,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Parses <paramref name="utf8"/>, or returns null and what is wrong with it (e.g. "is not valid UTF-8 at byte 17").</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8, out string? problem, int maxDepth = DefaultMaxDepth)
    {
        problem = Precheck(utf8.Span);
        if (problem is not null)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(utf8, Options(maxDepth));
        }
        catch (JsonException ex)
        {
            problem = Describe(ex, maxDepth);
            return null;
        }
    }

    private static string? Precheck(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            return "is empty";
        }
        if (utf8.StartsWith("\uFEFF"u8))
        {
            return "starts with a byte order mark (U+FEFF); send plain UTF-8 JSON";
        }
        if (!Utf8.IsValid(utf8))
        {
            return $"is not valid UTF-8 (at byte {FirstInvalidByte(utf8) + 1})";
        }
        return null;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return offset;
    }

    private static string Describe(JsonException ex, int maxDepth)
    {
        var message = ex.Message;
        // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: 5." and sometimes a path: we say it our way.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        message = message.TrimEnd('.', ' ');
        if (message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            message = $"it is nested deeper than {maxDepth} levels";
        }
        else if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            message = "it has a duplicate key (" + message + "); each key may appear once per object";
        }
        var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}" : "";
        return $"is not valid JSON{where}: {message}";
    }

    /// <summary>A bounded, printable prefix of bytes that could not be parsed, for the audit record.</summary>
    public static string Prefix(ReadOnlySpan<byte> utf8, int maxBytes = 4096)
    {
        var shown = utf8.Length > maxBytes ? utf8[..maxBytes] : utf8;
        var text = Encoding.UTF8.GetString(shown); // invalid sequences become U+FFFD
        return utf8.Length > maxBytes ? text + $"… ({utf8.Length} bytes)" : text;
    }
}
