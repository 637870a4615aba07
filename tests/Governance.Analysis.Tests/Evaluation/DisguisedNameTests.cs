namespace Governance.Analysis.Tests.Evaluation;

public sealed class DisguisedNameTests
{
    [Theory]
    [InlineData("ѕudo rm -rf /", "sudo rm -rf /")]
    [InlineData("ｒｍ -rf ~", "rm -rf ~")]
    [InlineData("g\u200bit push -f origin main", "git push -f origin main")]
    [InlineData("git rеset --hard", "git reset --hard")]
    [InlineData("echo 'héllo wörld'", "echo 'héllo wörld'")]
    public void Skeleton_LookAlikesAndInvisibleCharacters_AreWhatAReaderSees(string line, string expected)
    {
        var shown = Governance.Analysis.Evaluation.DisguisedName.Skeleton(System.Text.RegularExpressions.Regex.Unescape(line));

        Assert.Equal(expected, shown ?? line);
    }

    [Fact]
    public void Skeleton_PlainAscii_IsNull()
    {
        Assert.Null(Governance.Analysis.Evaluation.DisguisedName.Skeleton("rm -rf ./build"));
    }
}
