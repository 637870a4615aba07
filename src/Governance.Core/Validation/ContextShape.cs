using System.Runtime.InteropServices;
using System.Text.Json;

namespace Governance.Core.Validation;

/// <summary>Measures a context's size and depth without copying it, stopping as soon as a bound is crossed.</summary>
public static class ContextShape
{
    /// <summary>Returns null when within bounds, else what was exceeded.</summary>
    public static string? Exceeds(JsonElement element, RequestLimits limits)
    {
        long size = 0;
        return Walk(element, 1, limits, ref size);
    }

    private static string? Walk(JsonElement element, int depth, RequestLimits limits, ref long size)
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
                    size += property.Name.Length + 4;
                    if (Walk(property.Value, depth + 1, limits, ref size) is { } inner)
                    {
                        return inner;
                    }
                    if (size > limits.MaxContextBytes)
                    {
                        return TooLarge(limits);
                    }
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    size += 1;
                    if (Walk(item, depth + 1, limits, ref size) is { } inner)
                    {
                        return inner;
                    }
                    if (size > limits.MaxContextBytes)
                    {
                        return TooLarge(limits);
                    }
                }
                return null;
            case JsonValueKind.String:
                size += JsonMarshal.GetRawUtf8Value(element).Length + 2;
                break;
            default:
                size += 8;
                break;
        }
        return size > limits.MaxContextBytes ? TooLarge(limits) : null;
    }

    private static string TooLarge(RequestLimits limits) =>
        $"context is larger than {limits.MaxContextBytes} bytes";
}
