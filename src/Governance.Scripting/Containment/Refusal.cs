using Governance.Abstractions.Policy;

namespace Governance.Scripting.Containment;

/// <summary>Why an API is refused to scripts, and the grant that would allow it (None: refused whatever is granted).</summary>
internal sealed record Refusal(string Why, ScriptCapabilities Grant = ScriptCapabilities.None)
{
    public static readonly Refusal EndsProcess = new("it would end the governance server");
    public static readonly Refusal ChangesProcess = new("it would change the governance server's process for every request");
    public static readonly Refusal ProcessWide = new("it reaches the governance server's process-wide state (exception handlers, switches, loaded code)");
    public static readonly Refusal Processes = new("it would start or control another process; a persona judges the operation, it does not run commands");
    public static readonly Refusal Diagnostics = new("it reaches into the governance server's own diagnostics (debugger, tracing, event listeners)");
    public static readonly Refusal Native = new("it calls native code or bypasses type safety, which can crash the governance server");
    public static readonly Refusal Unsafe = new("unsafe code can corrupt the governance server's memory");
    public static readonly Refusal StackAlloc = new("stack allocation can overflow the governance server's stack, which ends the process");
    public static readonly Refusal Threads = new("it runs code on other threads or timers, outside the persona's deadline");
    public static readonly Refusal Blocking = new("it blocks a thread the persona's deadline cannot release");
    public static readonly Refusal Sleep = new("it blocks a thread the persona's deadline cannot release; a persona answers from the operation it is given, without waiting");
    public static readonly Refusal Callbacks = new("a callback on a token runs on the server's timer thread, outside any budget; test ct.IsCancellationRequested instead");
    public static readonly Refusal AsyncVoid = new("an exception in async void code ends the governance server; return a Task");
    public static readonly Refusal Finalizer = new("a finalizer runs on the runtime's finalizer thread, outside any budget, and an exception there ends the governance server");
    public static readonly Refusal Reflection = new("reflection reaches around the checks that keep scripts contained");
    public static readonly Refusal Dynamic = new("dynamic binds members at run time, around the checks that keep scripts contained");
    public static readonly Refusal ExpressionTrees = new("expression trees compile code at run time, outside the checks that keep scripts contained");
    public static readonly Refusal Loading = new("it loads code the governance server has not checked");
    public static readonly Refusal Runtime = new("it changes how the runtime behaves for the whole governance server");
    public static readonly Refusal Collector = new("it would pause or tune the garbage collector for every request in the governance server");
    public static readonly Refusal Console = new("stdin and stdout carry the MCP protocol and one stray line breaks the client; return findings in the verdict (or write to Console.Error)");
    public static readonly Refusal Internals = new("it reaches into the governance server's internals; scripts use the Governance.Abstractions contracts and the Governance.Scripting helpers");
    public static readonly Refusal Backtracking = new("a regex must be built with RegexOptions.NonBacktracking as a constant, so it runs in linear time: a backtracking pattern can run for minutes inside one call, past any budget check (ScriptText.Has and ScriptText.Count do this for you)");
    public static readonly Refusal ReferenceDirective = new("a script uses only the assemblies the governance server gives it");
    public static readonly Refusal LoadDirective = new("a script is one file; put the shared code in the script itself");
    public static readonly Refusal FileIo = new("file I/O is off unless governance.scripts.allow lists file_io", ScriptCapabilities.FileIo);
    public static readonly Refusal Network = new("network I/O is off unless governance.scripts.allow lists network", ScriptCapabilities.Network);
    public static readonly Refusal FileOrNetwork = new("it reads files and URLs: file and network I/O are off unless governance.scripts.allow lists file_io and network",
        ScriptCapabilities.FileIo | ScriptCapabilities.Network);

    public bool AllowedBy(ScriptCapabilities allowed) => Grant != ScriptCapabilities.None && (allowed & Grant) == Grant;
}
