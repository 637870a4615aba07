using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Definitions.Loading;

/// <summary>
/// Checks a YAML document against the shape of the C# document it is read into, before it is deserialized, so every
/// problem is reported in the product's words with file, line and column: a syntax error, an unknown key (and which
/// keys that section takes), a value of the wrong kind ("'abc' is not a whole number", "must be a list"). It also
/// remembers where each key is, so later checks of the values can point at their line too.
/// </summary>
public static class YamlShape
{
    public sealed record Problem(int Line, int Column, string Message);

    /// <summary>Where each key (dotted path, list items as [i]) starts in the text.</summary>
    public sealed class Marks
    {
        private readonly Dictionary<string, (int Line, int Column)> _at = new(StringComparer.Ordinal);

        internal void Add(string path, Mark mark) => _at.TryAdd(path, ((int)mark.Line, (int)mark.Column));

        public (int Line, int Column)? Find(string path) => _at.TryGetValue(path, out var at) ? at : null;

        /// <summary>
        /// The position a problem message is about: messages start with the key path they concern
        /// ("checks[3] (id): when.command: ...", "default.verdict '...' must ..."); the deepest known path wins.
        /// </summary>
        public (int Line, int Column)? Locate(string message)
        {
            var head = message;
            var candidates = new List<string>();
            var first = Token(ref head);
            if (first.Length == 0)
            {
                return null;
            }
            candidates.Add(first);
            if (head.StartsWith(" (", StringComparison.Ordinal) && head.IndexOf(')', StringComparison.Ordinal) is var close and > 0)
            {
                head = head[(close + 1)..];
            }
            if (head.StartsWith(": ", StringComparison.Ordinal))
            {
                head = head[2..];
                var second = Token(ref head);
                if (second.Length > 0)
                {
                    candidates.Insert(0, first + "." + second);
                }
            }
            foreach (var candidate in candidates)
            {
                for (var path = candidate; path.Length > 0; path = Parent(path))
                {
                    if (Find(path) is { } at)
                    {
                        return at;
                    }
                }
            }
            return null;
        }

        private static string Token(ref string text)
        {
            var length = 0;
            while (length < text.Length && (char.IsAsciiLetterOrDigit(text[length]) || text[length] is '_' or '.' or '[' or ']'))
            {
                length++;
            }
            var token = text[..length].TrimEnd('.');
            text = text[length..];
            return token;
        }

        private static string Parent(string path)
        {
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            return cut <= 0 ? "" : path[..cut];
        }
    }

    public static IReadOnlyList<Problem> Check(string text, Type documentType, out Marks marks)
    {
        marks = new Marks();
        var problems = new List<Problem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is { Message.Length: > 0 } inner ? inner.Message : ex.Message;
            problems.Add(new Problem((int)ex.Start.Line, (int)ex.Start.Column, "the YAML is not well formed: " + Plain(message)));
            return problems;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            problems.Add(new Problem(0, 0, "the YAML is not well formed: " + Plain(ex.Message)));
            return problems;
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            problems.Add(new Problem((int)second.Line, (int)second.Column, "the file holds more than one YAML document (---); keep one"));
        }
        if (stream.Documents.Count > 0)
        {
            Walk(stream.Documents[0].RootNode, documentType, "", problems, marks);
        }
        return problems;
    }

    private static string Plain(string message) => message.TrimEnd('.', ' ');

    private static void Walk(YamlNode node, Type type, string path, List<Problem> problems, Marks marks)
    {
        var where = path.Length == 0 ? "the file" : path;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } && (type.IsClass || Nullable.GetUnderlyingType(type) is not null))
        {
            return; // null: the defaults apply
        }
        if (underlying == typeof(string) || underlying.IsPrimitive || underlying == typeof(double) || underlying == typeof(decimal) || underlying.IsEnum)
        {
            if (node is not YamlScalarNode scalar)
            {
                Add(node, $"{where}: must be a single value, not {Kind(node)}");
                return;
            }
            var value = scalar.Value ?? "";
            var problem = underlying switch
            {
                _ when underlying == typeof(int) || underlying == typeof(long) =>
                    long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) && (underlying == typeof(long) || whole is >= int.MinValue and <= int.MaxValue)
                        ? null : $"'{Shown(value)}' is not a whole number",
                _ when underlying == typeof(double) || underlying == typeof(decimal) =>
                    double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : $"'{Shown(value)}' is not a number",
                _ when underlying == typeof(bool) =>
                    value.ToLowerInvariant() is "true" or "false" ? null : $"'{Shown(value)}' must be true or false",
                _ => null,
            };
            if (problem is not null)
            {
                Add(node, $"{where}: {problem}");
            }
            return;
        }
        if (Element(underlying, typeof(IDictionary<,>)) is { } valueType)
        {
            if (node is not YamlMappingNode map)
            {
                Add(node, $"{where}: must be a mapping of names to values, not {Kind(node)}");
                return;
            }
            foreach (var (key, value) in map.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                var child = Join(path, name);
                marks.Add(child, key.Start);
                Walk(value, valueType, child, problems, marks);
            }
            return;
        }
        if ((underlying.IsArray ? underlying.GetElementType() : Element(underlying, typeof(IList<>))) is { } itemType)
        {
            if (node is not YamlSequenceNode list)
            {
                Add(node, $"{where}: must be a list, e.g. [a, b] or one '- item' per line, not {Kind(node)}");
                return;
            }
            for (var i = 0; i < list.Children.Count; i++)
            {
                var child = $"{path}[{i}]";
                marks.Add(child, list.Children[i].Start);
                Walk(list.Children[i], itemType, child, problems, marks);
            }
            return;
        }
        if (node is not YamlMappingNode mapping)
        {
            Add(node, $"{where}: must be a section of keys ({string.Join(", ", Keys(underlying).Keys)}), not {Kind(node)}");
            return;
        }
        var keys = Keys(underlying);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var child = Join(path, name);
            marks.Add(child, key.Start);
            if (!keys.TryGetValue(name, out var property))
            {
                var section = path.Length == 0 ? "the file" : $"'{path}'";
                Add(key, $"unknown key '{child}'; {section} takes: {string.Join(", ", keys.Keys)}");
                continue;
            }
            Walk(value, property.PropertyType, child, problems, marks);
        }

        void Add(YamlNode at, string message) => problems.Add(new Problem((int)at.Start.Line, (int)at.Start.Column, message));
    }

    private static Dictionary<string, PropertyInfo> Keys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => UnderscoredNamingConvention.Instance.Apply(p.Name), StringComparer.Ordinal);

    private static Type? Element(Type type, Type generic)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[^1];
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a section of keys",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value '{Shown(scalar.Value ?? "")}'",
        _ => "this",
    };

    private static string Shown(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
