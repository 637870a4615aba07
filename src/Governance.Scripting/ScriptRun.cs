namespace Governance.Scripting;

/// <summary>
/// One evaluation of a script (or its top-level run) under a deadline and a memory budget. It flows with the
/// execution context, so a continuation the script schedules carries it too, and is stopped once the run ended.
/// </summary>
internal sealed class ScriptRun : IDisposable
{
    private readonly string _what;
    private readonly CancellationToken _deadline;
    private readonly long _memoryLimit;
    private int _threadId;
    private long _lastAllocated;
    private long _allocated;
    private volatile bool _ended;
    private volatile Exception? _exceeded;

    public ScriptRun(string what, long memoryLimit, ScriptRun? outer, CancellationToken deadline)
    {
        _what = what;
        _deadline = deadline;
        _memoryLimit = memoryLimit;
        Outer = outer;
        _threadId = Environment.CurrentManagedThreadId;
        _lastAllocated = GC.GetAllocatedBytesForCurrentThread();
    }

    public ScriptRun? Outer { get; }

    public void Check()
    {
        if (_ended)
        {
            throw new ScriptTimedOutException($"{_what} kept running after its evaluation ended and was stopped");
        }
        if (_exceeded is { } exceeded)
        {
            throw exceeded; // the script caught the first one: every later check throws again
        }
        if (_deadline.IsCancellationRequested)
        {
            throw Exceeded(new ScriptTimedOutException($"{_what} ran past its deadline and was stopped"));
        }
        // Allocations are counted per thread; when the run moves to another thread the count continues from there.
        // Races between threads of one run only blur the count, which is a budget, not an invoice.
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var thread = Environment.CurrentManagedThreadId;
        if (thread == _threadId)
        {
            _allocated += allocated - _lastAllocated;
        }
        else
        {
            _threadId = thread;
        }
        _lastAllocated = allocated;
        if (_allocated > _memoryLimit)
        {
            throw Exceeded(new ScriptMemoryExceededException(
                $"{_what} allocated more than {_memoryLimit / (1024 * 1024)} MB in one evaluation and was stopped"));
        }
    }

    /// <summary>After the script returned: if it swallowed a budget exception, its answer does not count.</summary>
    public void ThrowIfExceeded()
    {
        if (_exceeded is { } exceeded)
        {
            throw exceeded;
        }
    }

    private Exception Exceeded(Exception exception)
    {
        _exceeded ??= exception;
        return _exceeded;
    }

    public void Dispose()
    {
        _ended = true;
        ScriptBudget.Leave(this);
    }
}
