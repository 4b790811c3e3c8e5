using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Heapgate.Testing;

/// <summary>Finds dotnet-gcdump and the heapgate CLI the way a shell would, plus heapgate's own tool folder.</summary>
internal static class ToolLocator
{
    private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public static string? DotnetGcdump()
    {
        if (Environment.GetEnvironmentVariable("HEAPGATE_DOTNET_GCDUMP") is { Length: > 0 } explicitPath)
            return File.Exists(explicitPath) ? explicitPath : null;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // heapgate's own tool folder first, then PATH, then where `dotnet tool install -g` puts tools.
        return Find("dotnet-gcdump", Environment.GetEnvironmentVariable("HEAPGATE_TOOLS_DIR"))
            ?? Look(Path.Combine(home, ".dotnet", "tools"), IsWindows ? ["dotnet-gcdump.exe"] : ["dotnet-gcdump"]);
    }

    /// <summary>The heapgate command: HEAPGATE_CLI (an executable, or a .js file run with node), else heapgate on PATH.</summary>
    public static (string FileName, string[] Prefix)? HeapgateCli()
    {
        if (Environment.GetEnvironmentVariable("HEAPGATE_CLI") is { Length: > 0 } cli)
        {
            if (!File.Exists(cli)) return null;
            if (cli.EndsWith(".js", StringComparison.OrdinalIgnoreCase))
                return Find("node") is { } node ? (node, [cli]) : null;
            return (cli, []);
        }
        return Find("heapgate") is { } found ? (found, []) : null;
    }

    private static string? Find(string name, string? firstDir = null)
    {
        string[] names = IsWindows ? [name + ".exe", name + ".cmd", name] : [name];
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!string.IsNullOrEmpty(firstDir) && Look(firstDir, names) is { } first) return first;
        foreach (string dir in dirs)
            if (Look(dir, names) is { } hit) return hit;
        return null;
    }

    private static string? Look(string dir, string[] names)
    {
        foreach (string n in names)
        {
            string candidate = Path.Combine(dir, n);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
