using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Governance.Scripting;

/// <summary>
/// The cooperative budget every script is compiled with: the compiler inserts <see cref="Check"/> at the start of
/// each loop body, before each goto, and at each method, accessor, local function and lambda entry. The host opens a
/// <see cref="ScriptRun"/> around each evaluation; a check throws once that run's deadline passes, its memory budget
/// is spent, the stack is nearly full, or the run has already ended (code a script left behind on another thread).
/// </summary>
public static class ScriptBudget
{
    private static readonly AsyncLocal<ScriptRun?> Current = new();

    /// <summary>Inserted by the compiler; scripts need not call it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Check()
    {
        // A stack overflow cannot be caught and ends the process: stop deep recursion while it still can be.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InsufficientExecutionStackException("the script recursed too deeply and was stopped before it could overflow the stack");
        }
        Current.Value?.Check();
    }

    /// <summary>Inserted by the compiler around query clauses and field initializers: <see cref="Check"/>, then the value.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static T Pass<T>(T value)
    {
        Check();
        return value;
    }

    /// <summary>Opens a run on this flow of execution until it is disposed; nested runs restore the outer one.</summary>
    internal static ScriptRun Enter(string what, long memoryLimit, CancellationToken deadline)
    {
        var run = new ScriptRun(what, memoryLimit, Current.Value, deadline);
        Current.Value = run;
        return run;
    }

    internal static void Leave(ScriptRun run) => Current.Value = run.Outer;
}
