using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Governance.Core.Validation;

/// <summary>
/// Walks a context once without copying it: measures size and depth (stopping as soon as a bound is crossed) and finds
/// text that is not valid Unicode (JSON may carry "\ud800", half a surrogate pair, which is valid JSON but no text).
/// </summary>
public static class ContextShape
{
    /// <summary>What the walk found; both null means the context is within bounds and readable.</summary>
    public readonly record struct Findings(string? Exceeded, string? InvalidText);

    public static Findings Inspect(JsonElement element, RequestLimits limits)
    {
        var walk = new Walker(limits);
        var exceeded = walk.Visit(element, 1, default);
        return new Findings(exceeded, walk.InvalidText);
    }

    /// <summary>Returns null when within bounds, else what was exceeded.</summary>
    public static string? Exceeds(JsonElement element, RequestLimits limits) => Inspect(element, limits).Exceeded;

    private sealed class Walker(RequestLimits limits)
    {
        private long _size;

        public string? InvalidText { get; private set; }

        // The key is only turned into text when something is wrong with it: the walk allocates nothing otherwise.
        public string? Visit(JsonElement element, int depth, ReadOnlySpan<byte> key)
        {
            if (depth > limits.MaxContextDepth)
            {
                return $"context is nested deeper than {limits.MaxContextDepth} levels";
            }
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = JsonMarshal.GetRawUtf8PropertyName(property);
                        _size += name.Length + 4;
                        if (InvalidText is null && name.IndexOf("\\u"u8) >= 0 && !NameDecodes(property))
                        {
                            InvalidText = "a key of the context is not valid Unicode (a lone UTF-16 surrogate)";
                        }
                        if (Visit(property.Value, depth + 1, name) is { } inner)
                        {
                            return inner;
                        }
                        if (_size > limits.MaxContextBytes)
                        {
                            return TooLarge();
                        }
                    }
                    return null;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        _size += 1;
                        if (Visit(item, depth + 1, key) is { } inner)
                        {
                            return inner;
                        }
                        if (_size > limits.MaxContextBytes)
                        {
                            return TooLarge();
                        }
                    }
                    return null;
                case JsonValueKind.String:
                    var raw = JsonMarshal.GetRawUtf8Value(element);
                    _size += raw.Length + 2;
                    if (InvalidText is null && raw.IndexOf("\\u"u8) >= 0 && !ValueDecodes(element))
                    {
                        InvalidText = $"the value of '{Shown(key)}' is not valid Unicode (a lone UTF-16 surrogate)";
                    }
                    break;
                case JsonValueKind.Number:
                    _size += 8;
                    var digits = JsonMarshal.GetRawUtf8Value(element);
                    if (InvalidText is null && (digits.Length > 17 || digits.IndexOfAny((byte)'e', (byte)'E') >= 0) &&
                        !(element.TryGetDouble(out var value) && double.IsFinite(value)))
                    {
                        // 1e99999 is valid JSON, but no client can hold it: another parser reads Infinity or fails.
                        InvalidText = $"the value of '{Shown(key)}' is a number out of range";
                    }
                    break;
                default:
                    _size += 8;
                    break;
            }
            return _size > limits.MaxContextBytes ? TooLarge() : null;
        }

        private static bool ValueDecodes(JsonElement element)
        {
            try
            {
                _ = element.GetString();
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static bool NameDecodes(JsonProperty property)
        {
            try
            {
                _ = property.Name;
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static string Shown(ReadOnlySpan<byte> key)
        {
            var text = Encoding.UTF8.GetString(key);
            return text.Length == 0 ? "context" : text.Length > 40 ? text[..40] + "…" : text;
        }

        private string TooLarge() => $"context is larger than {limits.MaxContextBytes} bytes";
    }
}
