namespace Governance.Storage.LiteDb.Tests;

/// <summary>Every wait on the store has a bound, so a hung writer fails the test instead of hanging the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Limit);

    public static Task Within(this Task task) => task.WaitAsync(Limit);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Limit);

    /// <summary>Runs a blocking call (Dispose joins the writer thread) off the test thread, with the bound.</summary>
    public static Task Run(Action action) => Task.Run(action).WaitAsync(Limit);
}
