using Microsoft.CodeAnalysis;

namespace Governance.Scripting.Containment;

/// <summary>
/// Which framework and server APIs a script may not touch, by symbol (not by spelling, so aliases, <c>using static</c>
/// and fully qualified names are all caught). Whole namespaces and types are refused where nothing in them is
/// needed to judge an operation; elsewhere single members are.
/// </summary>
internal static class ForbiddenApis
{
    private static readonly SymbolDisplayFormat FullName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    // Members of System.Type that describe a type without reaching its members.
    private static readonly HashSet<string> DescriptiveTypeMembers = new(StringComparer.Ordinal)
    {
        "Name", "FullName", "Namespace", "IsAssignableFrom", "IsAssignableTo", "IsInstanceOfType", "IsSubclassOf", "IsValueType",
        "IsEnum", "IsArray", "IsClass", "IsInterface", "IsGenericType", "IsPrimitive", "IsAbstract", "IsSealed", "BaseType",
        "GetElementType", "GetGenericArguments", "GetGenericTypeDefinition", "GenericTypeArguments", "GetInterfaces", "GetTypeCode",
        "IsEquivalentTo", "Equals", "GetHashCode", "ToString", "op_Equality", "op_Inequality", "GetEnumNames", "GetEnumValues",
        "GetEnumName", "IsEnumDefined", "GetEnumUnderlyingType",
    };

    // The script API of this assembly; the rest of it (the loader, the image cache) is server machinery.
    private static readonly HashSet<string> ScriptApi = new(StringComparer.Ordinal)
    {
        "Governance.Scripting.PersonaScript", "Governance.Scripting.PluginScript", "Governance.Scripting.ScriptTriggers",
        "Governance.Scripting.Verdicts", "Governance.Scripting.ScriptText", "Governance.Scripting.ScriptBudget",
        "Governance.Scripting.ScriptTimedOutException", "Governance.Scripting.ScriptMemoryExceededException",
    };

    private static readonly HashSet<string> DiagnosticsAllowed = new(StringComparer.Ordinal)
    {
        "System.Diagnostics.Stopwatch", "System.Diagnostics.UnreachableException", "System.Diagnostics.ConditionalAttribute",
        "System.Diagnostics.StackTraceHiddenAttribute", "System.Diagnostics.DebuggerDisplayAttribute", "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerBrowsableAttribute", "System.Diagnostics.DebuggerBrowsableState",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
    };

    // Values, not connections: parsing addresses and decoding URLs is judging, not I/O.
    private static readonly HashSet<string> NetworkValues = new(StringComparer.Ordinal)
    {
        "System.Net.WebUtility", "System.Net.IPAddress", "System.Net.IPNetwork", "System.Net.HttpStatusCode",
    };

    private static readonly Dictionary<string, Refusal> Types = new(StringComparer.Ordinal)
    {
        ["System.AppDomain"] = Refusal.ProcessWide,
        ["System.AppContext"] = Refusal.ProcessWide,
        ["System.Activator"] = Refusal.Reflection,
        ["System.RuntimeTypeHandle"] = Refusal.Native,
        ["System.RuntimeMethodHandle"] = Refusal.Native,
        ["System.RuntimeFieldHandle"] = Refusal.Native,
        ["System.ModuleHandle"] = Refusal.Native,
        ["System.TypedReference"] = Refusal.Native,
        ["System.ArgIterator"] = Refusal.Native,
        ["System.Threading.Thread"] = Refusal.Threads,
        ["System.Threading.ThreadPool"] = Refusal.Threads,
        ["System.Threading.Timer"] = Refusal.Threads,
        ["System.Threading.PeriodicTimer"] = Refusal.Threads,
        ["System.Threading.RegisteredWaitHandle"] = Refusal.Threads,
        ["System.Threading.ThreadPoolBoundHandle"] = Refusal.Threads,
        ["System.Threading.PreAllocatedOverlapped"] = Refusal.Threads,
        ["System.Threading.Overlapped"] = Refusal.Threads,
        ["System.Threading.ExecutionContext"] = Refusal.Threads,
        ["System.Threading.SynchronizationContext"] = Refusal.Threads,
        ["System.Threading.Tasks.TaskFactory"] = Refusal.Threads,
        ["System.Threading.Tasks.TaskScheduler"] = Refusal.Threads,
        ["System.Threading.Tasks.ConcurrentExclusiveSchedulerPair"] = Refusal.Threads,
        ["System.Threading.Tasks.Parallel"] = Refusal.Threads,
        ["System.Threading.Tasks.ParallelLoopState"] = Refusal.Threads,
        ["System.Threading.Tasks.ParallelOptions"] = Refusal.Threads,
        ["System.Linq.ParallelEnumerable"] = Refusal.Threads,
        ["System.Linq.ParallelQuery"] = Refusal.Threads,
        ["System.Linq.OrderedParallelQuery"] = Refusal.Threads,
        ["System.Threading.Monitor"] = Refusal.Blocking,
        ["System.Threading.WaitHandle"] = Refusal.Blocking,
        ["System.Threading.EventWaitHandle"] = Refusal.Blocking,
        ["System.Threading.ManualResetEvent"] = Refusal.Blocking,
        ["System.Threading.AutoResetEvent"] = Refusal.Blocking,
        ["System.Threading.Mutex"] = Refusal.Blocking,
        ["System.Threading.Semaphore"] = Refusal.Blocking,
        ["System.Threading.SpinWait"] = Refusal.Blocking,
        ["System.Threading.SpinLock"] = Refusal.Blocking,
        ["System.Threading.Barrier"] = Refusal.Blocking,
        ["System.Threading.CountdownEvent"] = Refusal.Blocking,
        ["System.Threading.ReaderWriterLock"] = Refusal.Blocking,
        ["System.Threading.ReaderWriterLockSlim"] = Refusal.Blocking,
        ["System.Threading.WaitHandleExtensions"] = Refusal.Blocking,
        ["System.Collections.Concurrent.BlockingCollection"] = Refusal.Blocking,
        ["System.Runtime.CompilerServices.Unsafe"] = Refusal.Native,
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = Refusal.Native,
        ["System.Runtime.CompilerServices.UnsafeAccessorAttribute"] = Refusal.Reflection,
        ["System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute"] = Refusal.Reflection,
        ["System.Linq.Queryable"] = Refusal.ExpressionTrees,
        ["System.Linq.EnumerableQuery"] = Refusal.ExpressionTrees,
        ["System.Linq.EnumerableExecutor"] = Refusal.ExpressionTrees,
        ["System.Linq.IQueryable"] = Refusal.ExpressionTrees,
        ["System.Linq.IOrderedQueryable"] = Refusal.ExpressionTrees,
        ["System.Linq.IQueryProvider"] = Refusal.ExpressionTrees,
        ["System.ComponentModel.TypeDescriptor"] = Refusal.Reflection,
        ["System.ComponentModel.TypeDescriptionProvider"] = Refusal.Reflection,
        ["System.ComponentModel.MemberDescriptor"] = Refusal.Reflection,
        ["System.ComponentModel.PropertyDescriptor"] = Refusal.Reflection,
        ["System.ComponentModel.EventDescriptor"] = Refusal.Reflection,
        ["System.IO.File"] = Refusal.FileIo,
        ["System.IO.Directory"] = Refusal.FileIo,
        ["System.IO.FileInfo"] = Refusal.FileIo,
        ["System.IO.DirectoryInfo"] = Refusal.FileIo,
        ["System.IO.FileSystemInfo"] = Refusal.FileIo,
        ["System.IO.FileStream"] = Refusal.FileIo,
        ["System.IO.FileSystemWatcher"] = Refusal.FileIo,
        ["System.IO.DriveInfo"] = Refusal.FileIo,
        ["System.IO.RandomAccess"] = Refusal.FileIo,
        ["System.IO.FileSystemAclExtensions"] = Refusal.FileIo,
        ["System.IO.Compression.ZipFile"] = Refusal.FileIo,
        ["System.IO.Compression.ZipFileExtensions"] = Refusal.FileIo,
        ["System.IO.UnmanagedMemoryStream"] = Refusal.Native,
        ["System.IO.UnmanagedMemoryAccessor"] = Refusal.Native,
        ["System.Xml.XmlResolver"] = Refusal.FileOrNetwork,
        ["System.Xml.XmlUrlResolver"] = Refusal.FileOrNetwork,
        ["System.Xml.XmlSecureResolver"] = Refusal.FileOrNetwork,
    };

    private static readonly Dictionary<(string Type, string Member), Refusal> Members = new()
    {
        [("System.Environment", "Exit")] = Refusal.EndsProcess,
        [("System.Environment", "FailFast")] = Refusal.EndsProcess,
        [("System.Environment", "ExitCode")] = Refusal.ChangesProcess,
        [("System.Environment", "SetEnvironmentVariable")] = Refusal.ChangesProcess,
        [("System.Environment", "CurrentDirectory")] = Refusal.ChangesProcess,
        [("System.Delegate", "Method")] = Refusal.Reflection,
        [("System.Delegate", "DynamicInvoke")] = Refusal.Reflection,
        [("System.Delegate", "CreateDelegate")] = Refusal.Reflection,
        [("System.Threading.Tasks.Task", "Run")] = Refusal.Threads,
        [("System.Threading.Tasks.Task", "Factory")] = Refusal.Threads,
        [("System.Threading.Tasks.Task", "Start")] = Refusal.Threads,
        [("System.Threading.Tasks.Task", "RunSynchronously")] = Refusal.Threads,
        [("System.Threading.Tasks.Task", ".ctor")] = Refusal.Threads,
        [("System.Threading.Tasks.Task", "Wait")] = Refusal.Blocking,
        [("System.Threading.Tasks.Task", "WaitAll")] = Refusal.Blocking,
        [("System.Threading.Tasks.Task", "WaitAny")] = Refusal.Blocking,
        [("System.Threading.Tasks.Task", "Result")] = Refusal.Blocking,
        [("System.Threading.Tasks.ValueTask", "Result")] = Refusal.Blocking,
        [("System.Runtime.CompilerServices.TaskAwaiter", "GetResult")] = Refusal.Blocking,
        [("System.Runtime.CompilerServices.ValueTaskAwaiter", "GetResult")] = Refusal.Blocking,
        [("System.Runtime.CompilerServices.ConfiguredTaskAwaitable.ConfiguredTaskAwaiter", "GetResult")] = Refusal.Blocking,
        [("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter", "GetResult")] = Refusal.Blocking,
        [("System.Threading.ManualResetEventSlim", "Wait")] = Refusal.Blocking,
        [("System.Threading.ManualResetEventSlim", "WaitHandle")] = Refusal.Blocking,
        [("System.Threading.SemaphoreSlim", "Wait")] = Refusal.Blocking,
        [("System.Threading.SemaphoreSlim", "AvailableWaitHandle")] = Refusal.Blocking,
        [("System.Threading.CancellationToken", "Register")] = Refusal.Callbacks,
        [("System.Threading.CancellationToken", "UnsafeRegister")] = Refusal.Callbacks,
        [("System.Threading.CancellationToken", "WaitHandle")] = Refusal.Blocking,
        [("System.IO.Path", "GetTempFileName")] = Refusal.FileIo,
    };

    /// <summary>Why <paramref name="symbol"/> is refused, or null when a script may use it.</summary>
    public static Refusal? Judge(ISymbol symbol)
    {
        if (symbol is ITypeSymbol type)
        {
            return JudgeType(type);
        }
        if (symbol.ContainingType is not { } containing)
        {
            return null;
        }
        var typeName = containing.OriginalDefinition.ToDisplayString(FullName);
        var member = symbol is IMethodSymbol { AssociatedSymbol: { } property } ? property.Name : symbol.Name;
        if (typeName == "System.Threading.Thread" && member == "Sleep")
        {
            return Refusal.Sleep;
        }
        if (JudgeType(containing) is { } refusal)
        {
            return refusal;
        }
        if (Members.TryGetValue((typeName, member), out var byMember))
        {
            return byMember;
        }
        switch (typeName)
        {
            case "System.Console" when member != "Error":
                return Refusal.Console;
            case "System.GC" when member is not ("KeepAlive" or "SuppressFinalize" or "GetTotalMemory" or "GetAllocatedBytesForCurrentThread"):
                return Refusal.Collector;
            case "System.Type" when !DescriptiveTypeMembers.Contains(member):
                return Refusal.Reflection;
            case "System.IO.StreamReader" or "System.IO.StreamWriter"
                when symbol is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters: [{ Type.SpecialType: SpecialType.System_String }, ..] }:
                return Refusal.FileIo; // the constructors that take a path open a file
        }
        if (typeName.StartsWith("System.Xml", StringComparison.Ordinal) && member is "Load" or "Save" or "Create"
            && symbol is IMethodSymbol { Parameters: [{ Type.SpecialType: SpecialType.System_String }, ..] })
        {
            return Refusal.FileOrNetwork; // XDocument.Load(uri), XmlReader.Create(uri), XElement.Save(path)
        }
        // A member that hands out or takes reflection objects is reflection, whatever type it is on (Exception.TargetSite, ...).
        return ReachesReflection(symbol) ? Refusal.Reflection : null;
    }

    private static Refusal? JudgeType(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return JudgeType(array.ElementType);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Refusal.Unsafe;
            case IDynamicTypeSymbol:
                return Refusal.Dynamic;
            case ITypeParameterSymbol:
                return null;
        }
        var outermost = type.OriginalDefinition;
        while (outermost.ContainingType is { } containing)
        {
            outermost = containing;
        }
        var ns = outermost.ContainingNamespace?.ToDisplayString() ?? "";
        var name = type.OriginalDefinition.ToDisplayString(FullName);
        if (Types.TryGetValue(name, out var refusal) || Types.TryGetValue(outermost.ToDisplayString(FullName), out refusal))
        {
            return refusal;
        }
        if (Within(ns, "System.Reflection"))
        {
            return Refusal.Reflection;
        }
        if (Within(ns, "System.Linq.Expressions"))
        {
            return Refusal.ExpressionTrees;
        }
        if (Within(ns, "System.Runtime.InteropServices") || Within(ns, "Microsoft.Win32"))
        {
            return Refusal.Native;
        }
        if (Within(ns, "System.Runtime.Loader") || Within(ns, "System.Resources") || Within(ns, "System.Xml.Xsl"))
        {
            return Refusal.Loading;
        }
        if (ns == "System.Runtime")
        {
            return Refusal.Runtime; // GCSettings, ProfileOptimization, ControlledExecution, ...
        }
        if (Within(ns, "System.Dynamic"))
        {
            return Refusal.Dynamic;
        }
        if (Within(ns, "System.Timers"))
        {
            return Refusal.Threads;
        }
        if (Within(ns, "System.Diagnostics") && !Within(ns, "System.Diagnostics.CodeAnalysis") && !DiagnosticsAllowed.Contains(name))
        {
            return outermost.Name.StartsWith("Process", StringComparison.Ordinal) ? Refusal.Processes : Refusal.Diagnostics;
        }
        if (Within(ns, "System.Net") && !NetworkValues.Contains(name))
        {
            return Refusal.Network;
        }
        if (Within(ns, "System.IO.Pipes") || Within(ns, "System.IO.MemoryMappedFiles") || Within(ns, "System.IO.IsolatedStorage")
            || Within(ns, "System.IO.Enumeration") || Within(ns, "System.Security.Cryptography.X509Certificates"))
        {
            return Refusal.FileIo;
        }
        if (Within(ns, "Governance") && !Within(ns, "Governance.Abstractions") && !ScriptApi.Contains(outermost.ToDisplayString(FullName)))
        {
            return Refusal.Internals;
        }
        return null;
    }

    private static bool ReachesReflection(ISymbol symbol)
    {
        var types = symbol switch
        {
            IMethodSymbol method => method.Parameters.Select(p => p.Type).Prepend(method.ReturnType),
            IPropertySymbol property => property.Parameters.Select(p => p.Type).Prepend(property.Type),
            IFieldSymbol field => [field.Type],
            IEventSymbol e => [e.Type],
            _ => [],
        };
        return types.Any(IsReflectionType);
    }

    private static bool IsReflectionType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsReflectionType(array.ElementType),
        INamedTypeSymbol named => Within(named.ContainingNamespace?.ToDisplayString() ?? "", "System.Reflection")
            || Within(named.ContainingNamespace?.ToDisplayString() ?? "", "System.Linq.Expressions")
            || named.TypeArguments.Any(IsReflectionType),
        _ => false,
    };

    private static bool Within(string ns, string root) =>
        ns.Length >= root.Length && ns.StartsWith(root, StringComparison.Ordinal) && (ns.Length == root.Length || ns[root.Length] == '.');
}
