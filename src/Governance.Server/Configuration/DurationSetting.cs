using System.Globalization;

namespace Governance.Server.Configuration;

/// <summary>Durations in the configuration: a whole number and a unit, s, m, h or d (e.g. 90s, 15m, 12h, 30d).</summary>
internal static class DurationSetting
{
    public const string Forms = "a whole number and a unit, s, m, h or d, up to 10000d (e.g. 90s, 15m, 12h, 30d)";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || !long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        var unit = char.ToLowerInvariant(trimmed[^1]) switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        // Ten thousand days is far past any audit policy and keeps the arithmetic away from TimeSpan's limits.
        if (unit == TimeSpan.Zero || amount > TimeSpan.FromDays(10_000).Ticks / unit.Ticks)
        {
            return false;
        }
        duration = unit * amount;
        return true;
    }
}
