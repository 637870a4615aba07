using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Core.Validation;

namespace Governance.Server.PolicyTesting;

/// <summary>
/// Reads <c>*.jsonl</c> corpus files: one <c>{operation, context, expected, category, family?, note?}</c> per line.
/// "{governance_root}" in any string stands for the policy root the corpus runs against, and
/// "{governance_root}/data/" for the folder of the audit database the server is configured with (its default place).
/// </summary>
internal static class CorpusLoader
{
    public static (List<CorpusCase> Cases, List<string> Errors) Load(string directory, string governanceRoot, string? dataDirectory = null)
    {
        var cases = new List<CorpusCase>();
        var errors = new List<string>();
        if (!Directory.Exists(directory))
        {
            errors.Add($"corpus directory '{directory}' does not exist; pass a folder of *.jsonl files, e.g. --corpus tests/corpus");
            return (cases, errors);
        }
        var files = Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            errors.Add($"corpus directory '{directory}' has no *.jsonl files");
        }
        var root = JsonEncodedText.Encode(governanceRoot.TrimEnd('/')).ToString();
        var data = dataDirectory is null ? null : JsonEncodedText.Encode(dataDirectory.TrimEnd('/') + "/").ToString();
        foreach (var path in files)
        {
            var name = Path.GetFileName(path);
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                var filled = data is null ? line : line.Replace("{governance_root}/data/", data, StringComparison.Ordinal);
                if (Parse(filled.Replace("{governance_root}", root, StringComparison.Ordinal), name, number, out var error) is { } parsed)
                {
                    // The key is the line as written, so a baseline recorded against one pack folder holds against another.
                    cases.Add(parsed with { Key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + " " + line)))[..12].ToLowerInvariant() });
                }
                else
                {
                    errors.Add($"{name}:{number}: {error}");
                }
            }
        }
        return (cases, errors);
    }

    private static CorpusCase? Parse(string line, string file, int number, out string? error)
    {
        error = null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON ({ex.Message})";
            return null;
        }
        var operation = OperationNormalizer.Text(root, "operation");
        var expectedText = OperationNormalizer.Text(root, "expected");
        var category = OperationNormalizer.Text(root, "category");
        if (operation.Length == 0 || category.Length == 0 || !root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            error = "needs \"operation\" (string), \"context\" (object), \"expected\" and \"category\"";
            return null;
        }
        if (!ContractText.TryParseVerdict(expectedText, out var expected))
        {
            error = $"expected '{expectedText}' must be one of {ContractText.VerdictValues}";
            return null;
        }
        var family = OperationNormalizer.Text(root, "family");
        return new CorpusCase(file, number, operation, context, expected, category, family.Length == 0 ? "none" : family, OperationNormalizer.Text(root, "note"))
        {
        };
    }
}
