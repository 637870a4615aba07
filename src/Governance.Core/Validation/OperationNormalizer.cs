using System.Text;
using System.Text.Json;
using Governance.Abstractions.Decisions;

namespace Governance.Core.Validation;

/// <summary>
/// Turns a valid operation name and context object into an <see cref="Operation"/>. Accepts the seed's flat
/// context (command, file_path, ...) and a whole Claude Code hook payload (tool_name, tool_input, cwd, ...).
/// </summary>
public static partial class OperationNormalizer
{
    /// <summary>Longest text kept of one field of an oversized request (content: <see cref="MaxTruncatedContentChars"/>).</summary>
    public const int MaxTruncatedFieldChars = 64 * 1024;

    /// <summary>The content scanner reads 256 KB of edited content; an oversized request keeps that much.</summary>
    public const int MaxTruncatedContentChars = 256 * 1024;

    /// <summary>Builds the operation, or returns an error message saying which field is missing.</summary>
    /// <param name="truncate">The request is oversized: keep a bounded prefix of each field (it is reviewed as far as it goes, never allowed).</param>
    /// <param name="flaws">Receives what makes a field unreadable or suspicious (control or invisible characters in a command or path).</param>
    public static Operation? Normalize(string name, JsonElement context, out string? error, bool truncate = false, ICollection<string>? flaws = null)
    {
        var operation = Build(name, context, out error);
        if (operation is null)
        {
            return null;
        }
        if (truncate)
        {
            operation = operation with
            {
                Command = Bounded(operation.Command, MaxTruncatedFieldChars),
                FilePath = Bounded(operation.FilePath, MaxTruncatedFieldChars),
                Content = Bounded(operation.Content, MaxTruncatedContentChars),
                OldContent = Bounded(operation.OldContent, MaxTruncatedContentChars),
                Url = Bounded(operation.Url, MaxTruncatedFieldChars),
                Description = Bounded(operation.Description, MaxTruncatedFieldChars),
            };
        }
        if (flaws is not null)
        {
            FlagNonText(flaws, context);
            if (context.ValueKind == JsonValueKind.Object && context.TryGetProperty("tool_input", out var toolInput))
            {
                if (toolInput.ValueKind == JsonValueKind.Object)
                {
                    // An MCP tool's arguments are its own (exec_in_pod takes its command as an argv list); the catalog reads them.
                    FlagNonText(flaws, toolInput, typed: !operation.ToolName.StartsWith("mcp__", StringComparison.Ordinal));
                }
                else if (toolInput.ValueKind != JsonValueKind.Null)
                {
                    flaws.Add($"'tool_input' is {Article(toolInput.ValueKind)}, not an object");
                }
            }
            Flag(flaws, "command", operation.Command);
            Flag(flaws, "file_path", operation.FilePath);
            Flag(flaws, "url", operation.Url);
            Flag(flaws, "cwd", operation.Cwd);
        }
        return operation;
    }

    // The fields the analysis reads as text. One of another type is read as empty, so what it held went unreviewed.
    private static readonly string[] TextFields = ["tool_name", "command", "file_path", "path", "notebook_path", "url", "cwd", "workspace", "content", "old_string", "new_string"];

    private static void FlagNonText(ICollection<string> flaws, JsonElement fields, bool typed = true)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var name in typed ? TextFields : [])
        {
            if (fields.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                flaws.Add($"'{name}' is {Article(value.ValueKind)}, not a string");
                return;
            }
        }
        // Every path- or command-like field as sent, not only the one the operation ends up using: a hidden character
        // in a second cwd or path is still something a person reviewing the call would not see.
        foreach (var name in PathLikeFields)
        {
            if (fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    Flag(flaws, name, value.GetString()!);
                }
                catch (InvalidOperationException)
                {
                    // A lone surrogate: the validation step has already said so.
                }
            }
        }
    }

    private static readonly string[] PathLikeFields = ["command", "file_path", "path", "notebook_path", "url", "cwd"];

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max];

    // Bash drops NUL bytes and terminals hide control and invisible characters, so what a person (or a pattern) reads is
    // not what runs. Such a request is reviewed as far as it can be, and never allowed.
    private static void Flag(ICollection<string> flaws, string field, string text)
    {
        foreach (var c in text)
        {
            var problem = c switch
            {
                '\0' => "a NUL character",
                '\ufffd' => "text that is not valid Unicode",
                (< ' ' and not ('\t' or '\n' or '\r')) or '\u007f' => $"a control character (U+{(int)c:X4})",
                (>= '\u200b' and <= '\u200f') or (>= '\u202a' and <= '\u202e') or (>= '\u2060' and <= '\u2064') or (>= '\u2066' and <= '\u2069') or '\ufeff'
                    => $"an invisible formatting character (U+{(int)c:X4})",
                _ => null,
            };
            if (problem is not null)
            {
                var flaw = $"'{field}' contains {problem}";
                if (!flaws.Contains(flaw))
                {
                    flaws.Add(flaw);
                }
                return;
            }
        }
    }

    private static Operation? Build(string name, JsonElement context, out string? error)
    {
        error = null;
        var input = context.TryGetProperty("tool_input", out var toolInput) && toolInput.ValueKind == JsonValueKind.Object
            ? toolInput
            : default;
        var toolName = Text(context, "tool_name");
        var effectiveName = name;
        // A hook payload sent as the generic "tool_call" (or as the hook event) is judged as the tool it names.
        if (toolName.Length > 0 && OperationNames.IsToolName(toolName) &&
            (name is OperationKinds.ToolCall or "PreToolUse" or "pre_tool_use"))
        {
            effectiveName = toolName;
        }
        var kind = OperationNames.KindOf(effectiveName);

        var operation = new Operation
        {
            Kind = kind,
            Name = name,
            ToolName = toolName.Length > 0 ? toolName : effectiveName,
            Command = First(input, context, "command"),
            FilePath = First(input, context, "file_path", "path", "notebook_path"),
            Content = ContentOf(input, context),
            OldContent = First(input, context, "old_string"),
            Url = First(input, context, "url"),
            Cwd = First(default, context, "cwd", "workspace"),
            Workspace = Text(context, "workspace"),
            Agent = Text(context, "agent"),
            Description = First(input, context, "description", "prompt", "query", "pattern"),
            SessionId = Text(context, "session_id"),
            ToolUseId = Text(context, "tool_use_id"),
            Context = context,
        };

        error = kind switch
        {
            OperationKinds.CommandExecution when operation.Command.Length == 0 =>
                $"operation '{name}' is a command execution but the context has no 'command' (e.g. {{\"command\": \"ls -la\"}})",
            OperationKinds.FileEdit or OperationKinds.FileWrite or OperationKinds.FileRead
                when operation.FilePath.Length == 0 && effectiveName is not ("Grep" or "Glob" or "LS") =>
                $"operation '{name}' is a {kind} but the context has no 'file_path' (e.g. {{\"file_path\": \"src/app.py\"}})",
            _ => null,
        };
        return error is null ? operation : null;
    }

    private static string ContentOf(JsonElement input, JsonElement context)
    {
        var direct = First(input, context, "content", "new_string", "new_source");
        if (direct.Length > 0)
        {
            return direct;
        }
        foreach (var source in new[] { input, context })
        {
            if (source.ValueKind == JsonValueKind.Object &&
                source.TryGetProperty("edits", out var edits) && edits.ValueKind == JsonValueKind.Array)
            {
                var joined = new StringBuilder();
                foreach (var edit in edits.EnumerateArray())
                {
                    var text = Text(edit, "new_string");
                    if (text.Length > 0)
                    {
                        if (joined.Length > 0)
                        {
                            joined.Append('\n');
                        }
                        joined.Append(text);
                    }
                }
                return joined.ToString();
            }
        }
        return "";
    }

    private static string First(JsonElement input, JsonElement context, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            var value = Text(input, name);
            if (value.Length > 0)
            {
                return value;
            }
            value = Text(context, name);
            if (value.Length > 0)
            {
                return value;
            }
        }
        return "";
    }

    // JSON may carry "\ud800" (half a surrogate pair), which GetString refuses: such text is kept with U+FFFD in its place.
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = LoneSurrogateEscape().Replace(value.GetRawText(), "\\ufffd");
            try
            {
                return JsonSerializer.Deserialize<string>(raw) ?? "";
            }
            catch (JsonException)
            {
                return "\ufffd";
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex LoneSurrogateEscape();

    /// <summary>A string property's value; numbers and booleans as their JSON text; anything else empty.</summary>
    public static string Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return "";
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => StringOf(value),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => "",
        };
    }
}
