using Governance.Abstractions.Decisions;

namespace Governance.Scripting;

/// <summary>Namespaces a script's warnings by its id ("&lt;id&gt;/&lt;code&gt;"), as YAML checks are, and names it as their source.</summary>
internal static class WarningOwnership
{
    public static GovernanceWarning[] Claim(IReadOnlyList<GovernanceWarning> warnings, string ownerId) =>
        warnings.Select(w => w with
        {
            Code = w.Code.StartsWith(ownerId + "/", StringComparison.Ordinal) ? w.Code : $"{ownerId}/{w.Code}",
            Source = ownerId,
        }).ToArray();
}
