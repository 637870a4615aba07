using System.Globalization;
using System.Text;
using System.Text.Json;
using Governance.Abstractions.Storage;
using Governance.Core.Serialization;
using Governance.Server.Configuration;
using Governance.Server.Mcp;
using Governance.Storage.LiteDb;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Server.Cli;

/// <summary><c>governance history</c>: recent decisions from the store, as a table for people or JSON lines for tools.</summary>
internal static class HistoryCommand
{
    public static async Task<int> RunAsync(GovernanceSettings settings, int last, string? session, string? verdict, string? pattern, bool json,
        TextWriter output, CancellationToken cancellationToken)
    {
        var query = HistoryQueryParser.Parse(session, null, verdict, pattern, null, last, out var error);
        if (query is null)
        {
            await Console.Error.WriteLineAsync($"governance history: {error}");
            return 2;
        }
        if (!File.Exists(settings.LiteDb.Path))
        {
            await Console.Error.WriteLineAsync($"governance history: no decisions recorded yet ({settings.LiteDb.Path} does not exist)");
            return 0;
        }
        IReadOnlyList<DecisionRecord> records;
        using (var store = new LiteDbDecisionStore(settings.LiteDb, TimeProvider.System, NullLogger<LiteDbDecisionStore>.Instance))
        {
            records = await store.QueryAsync(query, cancellationToken);
        }
        if (json)
        {
            foreach (var record in records)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(HistoryEntry.From(record), GovernanceJson.Options));
            }
            return 0;
        }
        await output.WriteAsync(Table(records));
        return 0;
    }

    /// <summary>Oldest first, so the newest decision is the last line on screen.</summary>
    internal static string Table(IReadOnlyList<DecisionRecord> records)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"TIME (UTC)",-19}  {"VERDICT",-7}  {"CONF",4}  {"THEN",-11}  {"OPERATION",-18}  {"SUBJECT",-60}  SESSION");
        foreach (var record in records.Reverse())
        {
            var verdict = record.Verdict + (record.Cached ? "*" : "");
            var subject = OneLine(record.Error is null ? record.Subject : record.Error);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{record.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {verdict,-7}  {record.Confidence,4:0.00}  {record.Outcome?.Status ?? "",-11}  {Clip(record.Operation, 18),-18}  {Clip(subject, 60),-60}  {Clip(record.SessionId, 24)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{records.Count} decision(s); * = answered from the cache; THEN = what the tool call did (ran, failed, interrupted), recorded by the PostToolUse hook");
        return text.ToString();
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
