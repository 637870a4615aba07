using Governance.TestKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>A store over a real LiteDB file in a temp folder that a test can close and reopen on the same file.</summary>
internal sealed class StoreHarness : IDisposable
{
    private readonly TempDirectory _directory = new("governance-litedb");

    private readonly ILogger<LiteDbDecisionStore> _logger;

    public StoreHarness(LiteDbStoreOptions? options = null, TimeProvider? time = null, ILogger<LiteDbDecisionStore>? logger = null)
    {
        _logger = logger ?? NullLogger<LiteDbDecisionStore>.Instance;
        // A folder that does not exist yet: the store must create it.
        Options = (options ?? new LiteDbStoreOptions()) with { Path = _directory.Combine("data", "governance.db") };
        Time = time ?? TimeProvider.System;
        Store = Open();
    }

    public LiteDbStoreOptions Options { get; }
    public TimeProvider Time { get; }
    public string FilePath => Options.Path;
    public string DirectoryPath => Path.GetDirectoryName(Options.Path)!;
    public LiteDbDecisionStore Store { get; private set; }

    /// <summary>Disposes the current store (a clean shutdown) and opens a new instance on the same file.</summary>
    public LiteDbDecisionStore Reopen()
    {
        Store.Dispose();
        Store = Open();
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }

    private LiteDbDecisionStore Open() => new(Options, Time, _logger);
}
