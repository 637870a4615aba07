using Governance.Server.Hosting;

namespace Governance.Server.Tests.Hosting;

public sealed class ConnectionSessionTests
{
    [Fact]
    public void Id_ClaudeCodeSessionGiven_IsThatSession()
    {
        Assert.Equal("0837a688-202a-4543-81aa-f8eff8959d8e", new ConnectionSession("mcp", "0837a688-202a-4543-81aa-f8eff8959d8e").Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public void Id_NoUsableClientSession_IsAFreshPrefixedId(string? client)
    {
        var first = new ConnectionSession("mcp", client).Id;
        var second = new ConnectionSession("mcp", client).Id;

        Assert.StartsWith("mcp-", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Id_OverlongClientSession_IsNotAdopted()
    {
        Assert.StartsWith("hook-", new ConnectionSession("hook", new string('a', 129)).Id, StringComparison.Ordinal);
    }
}
