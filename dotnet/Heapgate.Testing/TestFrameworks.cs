using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Heapgate.Testing;

/// <summary>
/// The test framework in this process — xUnit v3, NUnit or MSTest — reached by reflection, so one
/// library serves all three without depending on any: the current test's name, native failures
/// and skips, and result attachments.
/// </summary>
internal static class TestFrameworks
{
    private enum Kind { None, Xunit, NUnit, MSTest }

    private static readonly Lazy<Kind> Detected = new(Detect);

    private static Kind Detect()
    {
        var names = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet(StringComparer.Ordinal);
        if (names.Contains("xunit.v3.core") || TypeOf("Xunit.TestContext, xunit.v3.core") is not null) return Kind.Xunit;
        if (names.Contains("nunit.framework")) return Kind.NUnit;
        if (names.Contains("MSTest.TestFramework") || names.Contains("Microsoft.VisualStudio.TestPlatform.TestFramework")) return Kind.MSTest;
        return Kind.None;
    }

    /// <summary>"Full.Name, Assembly" — or the full name in any loaded assembly, as frameworks move types between versions.</summary>
    private static Type? TypeOf(string name)
    {
        if (Type.GetType(name, throwOnError: false) is { } exact) return exact;
        string fullName = name.Split(',')[0].Trim();
        foreach (Assembly a in AppDomain.CurrentDomain.GetAssemblies())
            if (a.GetType(fullName, throwOnError: false) is { } found) return found;
        return null;
    }

    private static object? Static(string type, string property) =>
        TypeOf(type)?.GetProperty(property, BindingFlags.Public | BindingFlags.Static)?.GetValue(null);

    private static object? Get(object? target, string property) =>
        target?.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);

    /// <summary>The running test's full name, when the framework says.</summary>
    public static string? CurrentTestName()
    {
        try
        {
            switch (Detected.Value)
            {
                case Kind.Xunit:
                    return Get(Get(Static("Xunit.TestContext, xunit.v3.core", "Current"), "Test"), "TestDisplayName") as string;
                case Kind.NUnit:
                    return Get(Get(Static("NUnit.Framework.TestContext, nunit.framework", "CurrentContext"), "Test"), "FullName") as string;
                case Kind.MSTest:
                    object? ctx = MSTestContext();
                    return ctx is null ? null : $"{Get(ctx, "FullyQualifiedTestClassName")}.{Get(ctx, "TestName")}";
            }
        }
        catch (TargetInvocationException)
        {
            // Outside a test (e.g. in a fixture's constructor) there is no current test.
        }
        return null;
    }

    private static object? MSTestContext() =>
        Static("Microsoft.VisualStudio.TestTools.UnitTesting.TestContext, MSTest.TestFramework", "Current");

    /// <summary>The framework's own assertion failure (so it reports a failure, not an error).</summary>
    public static Exception Failure(string message, AssertionOutcome outcome)
    {
        switch (Detected.Value)
        {
            case Kind.Xunit:
                if (TypeOf("Xunit.Sdk.XunitException, xunit.v3.assert") is { } xunit
                    && Activator.CreateInstance(xunit, message) is Exception ex)
                    return ex;
                break;
            case Kind.NUnit:
                return Thrown("NUnit.Framework.Assert, nunit.framework", "Fail", message) ?? new HeapAssertionException(message, outcome);
            case Kind.MSTest:
                return Thrown("Microsoft.VisualStudio.TestTools.UnitTesting.Assert, MSTest.TestFramework", "Fail", message)
                    ?? new HeapAssertionException(message, outcome);
        }
        return new HeapAssertionException(message, outcome);
    }

    /// <summary>
    /// heapgate cannot run here: the framework's skip (xUnit, NUnit) or inconclusive (MSTest) with
    /// the reason; a failure instead when HEAPGATE_REQUIRED=1 (CI that must not skip memory checks).
    /// </summary>
    public static Exception Unavailable(string reason)
    {
        if (Environment.GetEnvironmentVariable("HEAPGATE_REQUIRED") is "1" or "true")
            return new HeapgateException($"{reason} (HEAPGATE_REQUIRED is set, so this fails instead of skipping)");
        Exception? skip = Detected.Value switch
        {
            Kind.Xunit => Thrown("Xunit.Assert, xunit.v3.assert", "Skip", reason),
            Kind.NUnit => Thrown("NUnit.Framework.Assert, nunit.framework", "Ignore", reason),
            Kind.MSTest => Thrown("Microsoft.VisualStudio.TestTools.UnitTesting.Assert, MSTest.TestFramework", "Inconclusive", reason),
            _ => null,
        };
        return skip ?? new HeapgateException(reason);
    }

    /// <summary>Attaches files to the current test's result (TRX result files, xUnit attachments).</summary>
    public static void Attach(string path, string description)
    {
        if (!File.Exists(path)) return;
        try
        {
            switch (Detected.Value)
            {
                case Kind.Xunit:
                    object? ctx = Static("Xunit.TestContext, xunit.v3.core", "Current");
                    // xUnit keeps attachments in memory: files up to 16 MB, others named in the message only.
                    if (ctx is not null && new FileInfo(path).Length <= 16 << 20)
                        ctx.GetType().GetMethod("AddAttachment", [typeof(string), typeof(byte[]), typeof(string)])
                            ?.Invoke(ctx, [XunitName(path), File.ReadAllBytes(path), MediaType(path)]);
                    break;
                case Kind.NUnit:
                    TypeOf("NUnit.Framework.TestContext, nunit.framework")
                        ?.GetMethod("AddTestAttachment", [typeof(string), typeof(string)])
                        ?.Invoke(null, [path, description]);
                    break;
                case Kind.MSTest:
                    object? mstest = MSTestContext();
                    mstest?.GetType().GetMethod("AddResultFile", [typeof(string)])?.Invoke(mstest, [path]);
                    break;
            }
        }
        catch (TargetInvocationException)
        {
            // An attachment is a convenience: the failure message names every file anyway.
        }
    }

    // xUnit adds an extension for the media type: "a3" + application/json becomes a3.json.
    private static string XunitName(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(path) : Path.GetFileName(path);

    private static string MediaType(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "application/octet-stream";

    /// <summary>Calls a static method that throws (Assert.Fail, Assert.Skip, …) and returns what it threw.</summary>
    private static Exception? Thrown(string type, string method, string message)
    {
        MethodInfo? m = TypeOf(type)?.GetMethod(method, BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        if (m is null) return null;
        try
        {
            m.Invoke(null, [message]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            return ex.InnerException;
        }
        return null;
    }
}
