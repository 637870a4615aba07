namespace Governance.Storage.LiteDb.Retention;

/// <summary>What one retention transaction removed.</summary>
internal readonly record struct RetentionChunk(int ByAge, int ByCount, int SessionsUpdated, int SessionsDeleted, int Outcomes)
{
    public int Decisions => ByAge + ByCount;
}
