using Governance.Abstractions.Storage;
using Governance.Storage.LiteDb.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>A sync store on a fake clock with a retention service over it; records are dated relative to the clock.</summary>
internal sealed class RetentionHarness : IDisposable
{
    public static readonly DateTimeOffset Now = SampleRecords.Epoch.AddDays(100);

    public RetentionHarness(LiteDbRetentionOptions retention)
    {
        Time = new FakeTimeProvider(Now);
        Store = new StoreHarness(new LiteDbStoreOptions { Durability = "sync", Retention = retention }, Time);
        Logger = new ListLogger<LiteDbRetentionService>();
        Service = new LiteDbRetentionService(Store.Store, Store.Options, Time, Logger);
    }

    public FakeTimeProvider Time { get; }
    public StoreHarness Store { get; }
    public ListLogger<LiteDbRetentionService> Logger { get; }
    public LiteDbRetentionService Service { get; }

    public Task<RetentionReport> RunOnceAsync() => Service.RunOnceAsync(Store.Options.Retention, CancellationToken.None).Within();

    public async Task AppendAsync(string id, TimeSpan age, string sessionId = "s1", string toolUseId = "")
    {
        var record = SampleRecords.Make(id, sessionId: sessionId, timestamp: Time.GetUtcNow() - age);
        await Store.Store.AppendAsync(toolUseId.Length == 0 ? record : With(record, toolUseId), CancellationToken.None).Within();
    }

    public Task AppendOutcomeAsync(string toolUseId, TimeSpan age, string sessionId = "s1") =>
        Store.Store.AppendOutcomeAsync(new ToolOutcomeRecord
        {
            ToolUseId = toolUseId,
            SessionId = sessionId,
            Timestamp = Time.GetUtcNow() - age,
            ToolName = "Bash",
            Status = "ran",
            Detail = "",
        }, CancellationToken.None).Within();

    public async Task<string[]> IdsAsync() =>
        (await Store.Store.QueryAsync(new DecisionQuery { Limit = DecisionQuery.MaxLimit }, CancellationToken.None).Within())
        .Select(r => r.DecisionId).Order(StringComparer.Ordinal).ToArray();

    public int OutcomeCount => Store.Store.Outcomes.Count();

    public void Dispose()
    {
        Service.Dispose();
        Store.Dispose();
    }

    private static DecisionRecord With(DecisionRecord record, string toolUseId) => new()
    {
        DecisionId = record.DecisionId,
        CorrelationId = record.CorrelationId,
        SessionId = record.SessionId,
        Timestamp = record.Timestamp,
        Operation = record.Operation,
        Kind = record.Kind,
        Verdict = record.Verdict,
        ToolUseId = toolUseId,
    };
}
