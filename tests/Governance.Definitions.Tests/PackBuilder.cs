using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Core.Personas;
using Governance.Definitions.Loading;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Definitions.Tests;

/// <summary>A policy pack written into a temp folder file by file, then loaded by the real loader.</summary>
internal sealed class PackBuilder : IDisposable
{
    private readonly TempDirectory _directory = new("governance-pack");

    public string Root => _directory.Path;

    public PackBuilder Persona(string id, string yaml) => Write("personas", id + ".yaml", yaml);

    public PackBuilder Rules(string fileName, string text) => Write("rules", fileName, text);

    public PackBuilder Write(string folder, string fileName, string text)
    {
        Directory.CreateDirectory(_directory.Combine(folder));
        File.WriteAllText(_directory.Combine(folder, fileName), text);
        return this;
    }

    public Task<PolicySnapshot> LoadAsync(PolicyThresholds? thresholds = null, IEnumerable<IPersona>? builtIns = null) =>
        Load(new PolicySource { Root = Root, Thresholds = thresholds ?? new PolicyThresholds() }, builtIns);

    public static Task<PolicySnapshot> Load(PolicySource source, IEnumerable<IPersona>? builtIns = null) =>
        new PolicyLoader(builtIns ?? [new CoreSafetyPersona()], TimeProvider.System, NullLogger<PolicyLoader>.Instance)
            .LoadAsync(source, CancellationToken.None);

    public void Dispose() => _directory.Dispose();

    public static string MinimalPersona(string id) => MinimalPersonaTemplate.Replace("{0}", id, StringComparison.Ordinal);

    private const string MinimalPersonaTemplate = """
        id: {0}
        name: Test Persona
        expertise: testing
        weight: 1.0
        triggers:
          operations: [command_execution]
        default:
          verdict: allow
          confidence: 0.97
          guidance: Nothing to add.
        checks:
          - id: force-push
            description: Force pushes.
            when:
              command: '\bgit\s+push\b.*\s(-f|--force)\b'
            verdict: deny
            confidence: 0.95
            severity: critical
            guidance: Push to a feature branch instead.
            rationale: Rewrites shared history.
            recommendations: [Use a pull request.]
          - id: any-push
            description: Any push.
            when:
              command: '\bgit\s+push\b'
              not_command: '\bfeature/'
            verdict: ask
            confidence: 0.7
            severity: medium
            guidance: Confirm the target branch.
        """;
}
