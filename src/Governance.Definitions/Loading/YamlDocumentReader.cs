using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Definitions.Loading;

/// <summary>
/// Reads one YAML policy file into its document type: the shape is checked first (every problem with its line), then
/// the text is deserialized; a failure of either is reported to the file's problems and gives null.
/// </summary>
internal static class YamlDocumentReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static T? Read<T>(string text, LoadProblems problems)
        where T : class
    {
        var shape = YamlShape.Check(text, typeof(T), out var marks);
        foreach (var problem in shape)
        {
            problems.Add(problem.Message, problem.Line, problem.Column);
        }
        if (shape.Count > 0)
        {
            return null;
        }
        problems.Marks = marks;
        try
        {
            return Deserializer.Deserialize<T>(text);
        }
        catch (YamlException ex)
        {
            problems.Add(Describe(ex), (int)ex.Start.Line, (int)ex.Start.Column);
            return null;
        }
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? inner.Message : ex.Message;
        return message.StartsWith('(') && message.IndexOf("): ", StringComparison.Ordinal) is var at and > 0
            ? message[(at + 3)..]
            : message;
    }
}
