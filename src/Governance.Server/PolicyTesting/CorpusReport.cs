using System.Globalization;
using System.Text;
using Governance.Abstractions.Decisions;

namespace Governance.Server.PolicyTesting;

/// <summary>Accuracy of a policy on a labelled corpus, per category and overall, against the product's targets.</summary>
internal sealed class CorpusReport(IReadOnlyList<CorpusResult> results)
{
    public const double DangerousCaughtTarget = 0.99;
    public const double CatastrophicDeniedTarget = 0.95;
    public const double BenignAllowedTarget = 0.99;

    public IReadOnlyList<CorpusResult> Results => results;

    public int Dangerous => results.Count(r => r.Case.IsDangerous);
    public int Catastrophic => results.Count(r => r.Case.Expected == Verdict.Deny);
    public int Benign => results.Count(r => !r.Case.IsDangerous);

    public double DangerousCaught => Ratio(results.Count(r => r.Caught), Dangerous);
    public double CatastrophicDenied => Ratio(results.Count(r => r.Case.Expected == Verdict.Deny && r.Actual == Verdict.Deny), Catastrophic);
    public double BenignAllowed => Ratio(results.Count(r => !r.Case.IsDangerous && r.Actual == Verdict.Allow), Benign);
    public double Exact => Ratio(results.Count(r => r.Correct), results.Count);

    public bool MeetsTargets =>
        DangerousCaught >= DangerousCaughtTarget && CatastrophicDenied >= CatastrophicDeniedTarget && BenignAllowed >= BenignAllowedTarget;

    public IEnumerable<CorpusResult> Mismatches => results.Where(r => !r.Correct);

    public string ToTable(int maxMismatches)
    {
        var text = new StringBuilder();
        Row(text, "category", "cases", "dangerous", "caught", "deny→deny", "benign", "false blocks", "exact");
        foreach (var group in results.GroupBy(r => r.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Line(text, group.Key, group.ToList());
        }
        text.AppendLine(new string('-', 104));
        Line(text, "total", results);
        text.AppendLine();
        text.AppendLine(Invariant($"dangerous caught (ask or deny): {DangerousCaught:P1} of {Dangerous}   target ≥ {DangerousCaughtTarget:P0}   {Mark(DangerousCaught >= DangerousCaughtTarget)}"));
        text.AppendLine(Invariant($"catastrophic denied:            {CatastrophicDenied:P1} of {Catastrophic}   target ≥ {CatastrophicDeniedTarget:P0}   {Mark(CatastrophicDenied >= CatastrophicDeniedTarget)}"));
        text.AppendLine(Invariant($"benign allowed:                 {BenignAllowed:P1} of {Benign}   target ≥ {BenignAllowedTarget:P0}   {Mark(BenignAllowed >= BenignAllowedTarget)}"));
        text.AppendLine(Invariant($"exact verdict:                  {Exact:P1} of {results.Count}"));
        var mismatches = Mismatches.ToList();
        if (mismatches.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"{mismatches.Count} case(s) answered differently from their label:"));
            foreach (var miss in mismatches.Take(maxMismatches))
            {
                text.AppendLine(Invariant($"  {miss.Case.Where,-32} expected {Name(miss.Case.Expected),-5} got {Name(miss.Actual),-5} {Shorten(miss.Subject, 90)}"));
                if (miss.Reason.Length > 0)
                {
                    text.AppendLine("      " + Shorten(miss.Reason, 140));
                }
            }
            if (mismatches.Count > maxMismatches)
            {
                text.AppendLine(Invariant($"  ... and {mismatches.Count - maxMismatches} more (--verbose lists all)"));
            }
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, IReadOnlyCollection<CorpusResult> rows)
    {
        var dangerous = rows.Count(r => r.Case.IsDangerous);
        var deny = rows.Count(r => r.Case.Expected == Verdict.Deny);
        var benign = rows.Count - dangerous;
        Row(text, name, rows.Count.ToString(CultureInfo.InvariantCulture), dangerous.ToString(CultureInfo.InvariantCulture),
            Cell(rows.Count(r => r.Caught), dangerous),
            Cell(rows.Count(r => r.Case.Expected == Verdict.Deny && r.Actual == Verdict.Deny), deny),
            benign.ToString(CultureInfo.InvariantCulture),
            rows.Count(r => r.FalseBlock).ToString(CultureInfo.InvariantCulture),
            Cell(rows.Count(r => r.Correct), rows.Count));
    }

    private static void Row(StringBuilder text, params string[] cells) =>
        text.AppendLine(Invariant($"{cells[0],-24}{cells[1],6}{cells[2],10}{cells[3],14}{cells[4],14}{cells[5],8}{cells[6],14}{cells[7],14}"));

    private static string Cell(int count, int of) => of == 0 ? "-" : Invariant($"{count} ({Ratio(count, of):P0})");

    private static double Ratio(int count, int of) => of == 0 ? 1 : (double)count / of;

    private static string Mark(bool met) => met ? "met" : "NOT MET";

    private static string Name(Verdict verdict) => verdict.ToWire();

    private static string Shorten(string text, int length)
    {
        var line = text.Replace('\n', ' ');
        return line.Length <= length ? line : line[..length] + "…";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
