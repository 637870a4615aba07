using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;

namespace Governance.Core.Personas;

/// <summary>
/// The built-in safety net, consulted on every operation: it catches only the unmistakably catastrophic, so the
/// server still protects when no configured persona loads. The configured pack does the nuanced work.
/// </summary>
public sealed partial class CoreSafetyPersona : IPersona
{
    public PersonaDescriptor Descriptor { get; } = new()
    {
        Id = "core-safety",
        Name = "Core Safety Net",
        Expertise = "catastrophic operations",
        Description = "Built-in persona that denies the unmistakably catastrophic (wiping /, ~ or disks, fork bombs, writing system files).",
        Weight = 0.5,
        Source = "builtin",
        Origin = typeof(CoreSafetyPersona).FullName!,
    };

    public bool IsRelevant(Operation operation) => true;

    public ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
    {
        if (operation.Command.Length > 0)
        {
            if (RecursiveDeleteOfRootOrHome().IsMatch(operation.Command))
            {
                return Deny("recursive-delete-root-or-home",
                    "Do not delete /, ~ or $HOME recursively. Delete the specific directory you mean, inside the workspace (for example rm -rf ./build).",
                    "A recursive delete of the root or home directory destroys the machine's or the user's files irreversibly.");
            }
            if (DiskDestruction().IsMatch(operation.Command))
            {
                return Deny("disk-destruction",
                    "Do not write to or format block devices. If you need a disk image, write to a file in the workspace (dd of=./disk.img).",
                    "Writing to /dev/sd*, /dev/nvme* or running mkfs/wipefs destroys a whole filesystem.");
            }
            if (ForkBomb().IsMatch(operation.Command))
            {
                return Deny("fork-bomb", "Do not run a fork bomb; to test process limits use a bounded loop in a container.",
                    "A fork bomb exhausts the process table and hangs the machine.");
            }
        }
        if (operation.FilePath.Length > 0 && (operation.Kind is OperationKinds.FileWrite or OperationKinds.FileEdit) &&
            SystemPath().IsMatch(operation.FilePath))
        {
            return Deny("system-file-write",
                "Do not edit system files from an agent. Change configuration inside the project, or describe the change for a person to apply.",
                "Files under /etc, /boot, /usr, /bin, /sbin and /lib control the whole machine.");
        }
        return ValueTask.FromResult(new PersonaVerdict
        {
            Verdict = Verdict.Allow,
            Confidence = 0.97,
            Guidance = "No catastrophic pattern found by the core safety net.",
        });
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

    [GeneratedRegex(@"(^|[;&|({`]\s*|\b(sudo|doas|env|nohup|exec|command|xargs)\s+(-\S+\s+)*)rm\s+(-[a-zA-Z]*\s+|--[a-z-]+\s+)*(-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\s+(-\S+\s+)*(/|/\*|~|~/|~/\*|\$HOME|\$\{HOME\}|\$HOME/|\$HOME/\*)(\s|$|[;&|)])")]
    private static partial Regex RecursiveDeleteOfRootOrHome();

    [GeneratedRegex(@"(\bdd\b[^;&|]*\bof=/dev/(sd|nvme|hd|vd|xvd|mmcblk|disk)|\bmkfs(\.\w+)?\s|\bwipefs\s|\bshred\b[^;&|]*/dev/)")]
    private static partial Regex DiskDestruction();

    [GeneratedRegex(@":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:")]
    private static partial Regex ForkBomb();

    [GeneratedRegex(@"^/(etc|boot|usr|bin|sbin|lib|lib64)/")]
    private static partial Regex SystemPath();
}
