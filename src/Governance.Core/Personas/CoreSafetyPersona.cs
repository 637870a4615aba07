using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;

namespace Governance.Core.Personas;

/// <summary>
/// The built-in safety net, consulted on every operation: it catches only the unmistakably catastrophic, so the
/// server still protects when no configured persona loads. The configured pack does the nuanced work.
/// </summary>
public sealed class CoreSafetyPersona : IPersona
{
    public PersonaDescriptor Descriptor { get; } = new()
    {
        Id = "core-safety",
        Name = "Core Safety Net",
        Expertise = "catastrophic operations",
        Description = "Built-in persona that denies the unmistakably catastrophic (wiping /, ~ or disks, fork bombs, writing system files) and any change to the guard's own files.",
        Weight = 0.5,
        Source = "builtin",
        Origin = typeof(CoreSafetyPersona).FullName!,
    };

    public bool IsRelevant(Operation operation) => true;

    public ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
    {
        // Judged on the operation analysis, so wrappers, re-entry, encodings and path tricks do not get around it.
        if (GuardChange(operation.Analysis) is { } touched)
        {
            return Deny("guard-self-protection",
                $"Do not change the governance guard's own files ({touched}): its pack, configuration, audit data, executable, .mcp.json and the Claude Code " +
                "settings that hold its hooks. Describe the change you think is needed and let the user make it.",
                "An agent that can rewrite, move or remove its guard has no guard; these files belong to the user.");
        }
        foreach (var effect in operation.Analysis.Effects)
        {
            switch (effect.Kind)
            {
                case EffectKinds.Delete when effect.HasFlag("recursive") && !effect.HasFlag("filtered") &&
                                             effect.AnyTarget(PathClass.Root | PathClass.Home | PathClass.System):
                    return Deny("recursive-delete-root-or-home",
                        "Do not delete /, ~ or a system directory recursively. Delete the specific directory you mean, inside the workspace (for example rm -rf ./build).",
                        "A recursive delete of the root, home or system directories destroys the machine's or the user's files irreversibly.");
                case EffectKinds.DiskWrite:
                case EffectKinds.Write when effect.AnyTarget(PathClass.Device):
                    return Deny("disk-destruction",
                        "Do not write to or format block devices. If you need a disk image, write to a file in the workspace (dd of=./disk.img).",
                        "Writing to /dev/sd*, /dev/nvme* or running mkfs/wipefs on a device destroys a whole filesystem.");
                case EffectKinds.ForkBomb:
                    return Deny("fork-bomb", "Do not run a fork bomb; to test process limits use a bounded loop in a container.",
                        "A fork bomb exhausts the process table and hangs the machine.");
                case EffectKinds.Write when (operation.Kind is OperationKinds.FileWrite or OperationKinds.FileEdit) &&
                                            effect.AnyTarget(PathClass.System) && !effect.AnyTarget(PathClass.Temp):
                    return Deny("system-file-write",
                        "Do not edit system files from an agent. Change configuration inside the project, or describe the change for a person to apply.",
                        "Files under /etc, /boot, /usr, /bin, /sbin and /lib control the whole machine.");
            }
        }
        return ValueTask.FromResult(new PersonaVerdict
        {
            Verdict = Verdict.Allow,
            Confidence = 0.97,
            Guidance = "No catastrophic pattern found by the core safety net.",
        });
    }

    /// <summary>
    /// The path of a write, truncation, deletion, move, link or permission change that reaches the guard's own files, or a
    /// deletion, move or recursive permission change of a folder that holds them; null when there is none.
    /// </summary>
    private static string? GuardChange(OperationAnalysis analysis)
    {
        foreach (var effect in analysis.Effects)
        {
            var changes = effect.Kind is EffectKinds.Write or EffectKinds.Truncate or EffectKinds.Delete or EffectKinds.PermissionChange or
                EffectKinds.Shred or EffectKinds.Link or EffectKinds.DiskWrite;
            // A name-filtered find removes only what matches, not the folder: judged by the pack's personas, not here.
            var removes = (effect.Kind is EffectKinds.Delete or EffectKinds.Shred && !effect.HasFlag("filtered")) ||
                          effect.Kind == EffectKinds.PermissionChange && effect.HasFlag("recursive");
            foreach (var target in effect.Targets)
            {
                if (changes && target.Is(PathClass.GovernancePolicy | PathClass.GuardConfig) || removes && target.Is(PathClass.ContainsGuard))
                {
                    return target.Path;
                }
            }
        }
        return null;
    }

    private ValueTask<PersonaVerdict> Deny(string check, string guidance, string rationale) =>
        ValueTask.FromResult(new PersonaVerdict
        {
            Verdict = Verdict.Deny,
            Confidence = 0.99,
            Guidance = guidance,
            Rationale = rationale,
            MatchedChecks = [check],
            Warnings = [new GovernanceWarning($"{Descriptor.Id}/{check}", Severity.Critical, rationale, Descriptor.Id)],
        });

}
