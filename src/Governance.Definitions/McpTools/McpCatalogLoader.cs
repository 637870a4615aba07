using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Definitions.Loading;

namespace Governance.Definitions.McpTools;

/// <summary>
/// Reads the MCP tool catalog, one YAML file per server in rules/mcp-tools/. A file with a problem is left out and
/// reported with its line; the others still load.
/// </summary>
internal static partial class McpCatalogLoader
{
    public const string Folder = "mcp-tools";

    private static readonly string[] AllowedFlags = ["destructive", "irreversible", "shared", "protected"];

    public static McpToolCatalog Build(IEnumerable<(string Path, string Relative, string Text)> files, List<LoadProblems> report)
    {
        var servers = new Dictionary<string, IReadOnlyDictionary<string, McpToolMapping>>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, relative, text) in files)
        {
            var problems = new LoadProblems(relative);
            report.Add(problems);
            if (Load(text, problems) is not { } loaded)
            {
                continue;
            }
            var (names, tools) = loaded;
            foreach (var name in names)
            {
                if (owners.TryGetValue(McpToolCatalog.Key(name), out var owner))
                {
                    problems.Add($"servers: '{name}' is already described by {owner}; a server belongs to one catalog file");
                }
            }
            if (problems.Any)
            {
                continue;
            }
            foreach (var name in names)
            {
                owners[McpToolCatalog.Key(name)] = relative;
                servers[name] = tools;
            }
        }
        return new McpToolCatalog(servers);
    }

    private static (List<string> Servers, Dictionary<string, McpToolMapping> Tools)? Load(string text, LoadProblems problems)
    {
        var document = YamlDocumentReader.Read<McpCatalogDocument>(text, problems);
        if (problems.Any)
        {
            return null;
        }
        if (document?.Servers is not { Count: > 0 } servers)
        {
            problems.Add("servers is required: the names the server is registered under (mcp__NAME__tool), e.g. servers: [github]");
            return null;
        }
        foreach (var server in servers)
        {
            if (!Name().IsMatch(server ?? ""))
            {
                problems.Add($"servers: '{server}' is not a server name (letters, digits, '-' and '_')");
            }
        }
        if (document.Tools is not { Count: > 0 } tools)
        {
            problems.Add("tools is required: each tool's name with what it does (shell, sql, read, write, content, delete, upload, fetch, code, sends, action, flags)");
            return null;
        }
        var mappings = new Dictionary<string, McpToolMapping>(StringComparer.Ordinal);
        foreach (var (tool, given) in tools)
        {
            var where = $"tools.{tool}";
            if (!Name().IsMatch(tool))
            {
                problems.Add($"{where}: '{tool}' is not a tool name (letters, digits, '-' and '_')");
                continue;
            }
            var entry = given ?? new McpToolDocument();
            foreach (var template in entry.Shell ?? [])
            {
                if (TemplateProblem(template) is { } problem)
                {
                    problems.Add($"{where}.shell: '{template}' {problem}");
                }
            }
            foreach (var flag in entry.Flags ?? [])
            {
                if (!AllowedFlags.Contains(flag, StringComparer.Ordinal))
                {
                    problems.Add($"{where}.flags: '{flag}' is not a flag; allowed: {string.Join(", ", AllowedFlags)}");
                }
            }
            if (entry.Flags is { Count: > 0 } && string.IsNullOrEmpty(entry.Action))
            {
                problems.Add($"{where}.flags: flags describe an action; add action (e.g. action: delete)");
            }
            if (entry.Action is { Length: > 0 } action && !Verb().IsMatch(action))
            {
                problems.Add($"{where}.action: '{action}' must be one lowercase verb (delete, merge, send, deploy)");
            }
            if (entry.Content is { Count: > 0 } && entry.Write is not { Count: > 0 })
            {
                problems.Add($"{where}.content: content is what the tool writes; name the path argument in write too");
            }
            mappings[tool] = new McpToolMapping
            {
                Shell = entry.Shell ?? [],
                Sql = entry.Sql ?? [],
                Read = entry.Read ?? [],
                Write = entry.Write ?? [],
                Content = entry.Content ?? [],
                Delete = entry.Delete ?? [],
                Upload = entry.Upload ?? [],
                Fetch = entry.Fetch ?? [],
                Code = entry.Code ?? [],
                Sends = entry.Sends ?? [],
                Action = entry.Action ?? "",
                Flags = entry.Flags ?? [],
            };
        }
        return problems.Any ? null : (servers, mappings);
    }

    // Placeholders are {argument}, {argument:raw} or {argument:flag=-v}; optional parts are [ ... ] and do not nest.
    private static string? TemplateProblem(string template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "is empty";
        }
        var optional = false;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '[' when optional:
                    return "nests [ inside [ ]; optional parts do not nest";
                case '[':
                    optional = true;
                    break;
                case ']' when !optional:
                    return "has ] without [";
                case ']':
                    optional = false;
                    break;
                case '{':
                    var close = template.IndexOf('}', i);
                    if (close < 0 || !Placeholder().IsMatch(template[i..(close + 1)]))
                    {
                        return "has a placeholder that is not {argument}, {argument:raw} or {argument:flag=-x}";
                    }
                    i = close;
                    break;
            }
        }
        return optional ? "has [ without ]" : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", RegexOptions.NonBacktracking)]
    private static partial Regex Name();

    [GeneratedRegex(@"^[a-z][a-z-]{0,39}$", RegexOptions.NonBacktracking)]
    private static partial Regex Verb();

    [GeneratedRegex(@"^\{[A-Za-z0-9_.-]{1,100}(?::raw|:flag=-{1,2}[A-Za-z0-9][A-Za-z0-9-]{0,30})?\}$", RegexOptions.NonBacktracking)]
    private static partial Regex Placeholder();
}
