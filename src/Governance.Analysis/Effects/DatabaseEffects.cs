using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;

namespace Governance.Analysis.Effects;

/// <summary>Destructive statements sent to database clients, and framework commands that drop or reset a database.</summary>
internal static partial class DatabaseEffects
{
    private static readonly HashSet<string> Clients = new(StringComparer.Ordinal)
    {
        "psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "mongosh", "mongo", "redis-cli", "clickhouse-client", "duckdb", "cockroach", "cqlsh", "sqlplus", "bq",
    };

    public static void Collect(ExecutedCommand command, string text, EffectBuilder effects)
    {
        if (Clients.Contains(command.Name))
        {
            var statements = string.Join(' ', command.Arguments) + "\n" + (command.InlineCode ?? "") + "\n" + (command.Heredoc ?? "");
            Statements(statements, text, effects);
            return;
        }
        if (command.Name is "dropdb" && command.Arguments.LastOrDefault(a => !a.StartsWith('-')) is { } database)
        {
            effects.Add(EffectKinds.DbDrop, text, null, "dropdb " + database, "database");
            return;
        }
        if (command.Name is "mysqladmin" && command.Arguments.Select(a => a.ToLowerInvariant()).ToList() is var words && words.IndexOf("drop") is var drop and >= 0)
        {
            effects.Add(EffectKinds.DbDrop, text, null, "mysqladmin drop " + (drop + 1 < words.Count ? words[drop + 1] : ""), "database");
            return;
        }
        if (command.Name.ToUpperInvariant() is "DELETE" or "DROP" or "TRUNCATE" or "UPDATE" or "ALTER")
        {
            // Bare SQL typed as a shell command: it runs nothing, but it says what the agent means to do to the data.
            Statements(command.ToString(), text, effects);
            return;
        }
        var joined = string.Join(' ', command.Arguments);
        if (command.Name is "rails" or "rake" or "bin/rails" or "bundle" or "dotnet" or "prisma" or "npx" or "pnpm" or "yarn" or "bunx" or "python" or "python3" or "php" or
            "sequelize" or "mix" or "alembic" or "knex" or "flask" or "django-admin" or "npm" && FrameworkReset().Match(joined) is { Success: true } reset)
        {
            effects.Add(EffectKinds.DbReset, text, null, reset.Value.Trim());
        }
    }

    /// <summary>Scans SQL/Mongo/Redis text for destructive statements; used for client input and interpreter code.</summary>
    public static void Statements(string statements, string text, EffectBuilder effects)
    {
        if (statements.Length > 256 * 1024)
        {
            statements = statements[..(256 * 1024)];
        }
        if (statements.Contains("/*", StringComparison.Ordinal))
        {
            // DROP/**/TABLE: a comment is whitespace to the server.
            statements = BlockComment().Replace(statements, " ");
        }
        foreach (Match match in Drop().Matches(statements))
        {
            effects.Add(EffectKinds.DbDrop, text, null, match.Value.Trim(), match.Groups[1].Value.ToLowerInvariant());
        }
        foreach (Match match in Truncate().Matches(statements))
        {
            effects.Add(EffectKinds.DbTruncate, text, null, match.Value.Trim());
        }
        foreach (var statement in statements.Split(';'))
        {
            var delete = UnboundedDelete().Match(statement);
            if (delete.Success && !Where().IsMatch(statement))
            {
                effects.Add(EffectKinds.DbUnboundedChange, text, null, delete.Value.Trim(), "delete");
            }
            var update = UnboundedUpdate().Match(statement);
            if (update.Success && !Where().IsMatch(statement))
            {
                effects.Add(EffectKinds.DbUnboundedChange, text, null, update.Value.Trim(), "update");
            }
        }
        if (MongoDrop().Match(statements) is { Success: true } mongo)
        {
            effects.Add(EffectKinds.DbDrop, text, null, mongo.Value, mongo.Value.Contains("Database", StringComparison.Ordinal) ? "database" : "collection");
        }
        if (MongoDeleteAll().Match(statements) is { Success: true } all)
        {
            effects.Add(EffectKinds.DbUnboundedChange, text, null, all.Value, "delete");
        }
        if (RedisFlush().Match(statements) is { Success: true } flush)
        {
            var verb = flush.Groups[1];
            effects.Add(EffectKinds.DbFlush, text, null, statements[flush.Index..(verb.Index + verb.Length)].Trim(), verb.Value.Contains("ALL", StringComparison.OrdinalIgnoreCase) ? "all" : "db");
        }
    }

    [GeneratedRegex(@"\bDROP\s+(DATABASE|SCHEMA|TABLE|COLLECTION|KEYSPACE|USER|ROLE)\b(?:\s+IF\s+EXISTS)?\s*[\w.""`\[\]]*", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Drop();

    [GeneratedRegex(@"\bTRUNCATE\s+(?:TABLE\s+)?[\w.""`\[\]]+", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Truncate();

    [GeneratedRegex(@"\bDELETE\s+FROM\s+[\w.""`\[\]]+", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex UnboundedDelete();

    [GeneratedRegex(@"\bUPDATE\s+[\w.""`\[\]]+\s+SET\b", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex UnboundedUpdate();

    [GeneratedRegex(@"\bWHERE\b", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Where();

    [GeneratedRegex(@"\bdropDatabase\s*\(\s*\)|\bdropDatabase[""']?\s*:\s*1|\bdb\.[\w.]+\.drop\s*\(\s*\)|\bdb\.getCollection\([^)]*\)\.drop\s*\(\s*\)", RegexOptions.NonBacktracking)]
    private static partial Regex MongoDrop();

    [GeneratedRegex(@"\.(?:deleteMany|remove)\s*\(\s*\{\s*\}\s*\)", RegexOptions.NonBacktracking)]
    private static partial Regex MongoDeleteAll();

    [GeneratedRegex(@"(?:^|[\s;'""])(FLUSHALL|FLUSHDB)(?:$|[^\w-])", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex RedisFlush();

    [GeneratedRegex(@"\bdb:(?:drop|reset|purge|schema:load|setup)\b|\bef\s+database\s+drop\b|\bmigrate\s+reset\b|\bdb\s+push\s+.{0,200}--(?:force-reset|accept-data-loss)\b|\bmanage\.py\s+(?:flush|reset_db|sqlflush)\b|\bmigrate:(?:fresh|reset)\b|\bdb:wipe\b|\becto\.(?:drop|reset)\b|\bdowngrade\s+base\b|\bmigrate:rollback\s+--all\b|\bdb:drop:all\b", RegexOptions.NonBacktracking)]
    private static partial Regex FrameworkReset();

    [GeneratedRegex(@"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/", RegexOptions.NonBacktracking)]
    private static partial Regex BlockComment();
}
