namespace Governance.Abstractions.Plugins;

/// <summary>Who a plugin is, for reports and warnings.</summary>
public sealed record PluginDescriptor
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>enricher, check, or both.</summary>
    public string Kind { get; init; } = "";
    public string Origin { get; init; } = "";
}
