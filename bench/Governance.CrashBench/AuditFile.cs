using LiteDB;

namespace Governance.CrashBench;

/// <summary>The decision ids in a LiteDB audit file, read after the writer was killed (LiteDB replays its -log file).</summary>
internal static class AuditFile
{
    public static HashSet<string> DecisionIds(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared });
        return database.GetCollection("decisions").Query().Select("$._id").ToEnumerable()
            .Select(document => document["_id"].AsString)
            .ToHashSet(StringComparer.Ordinal);
    }
}
