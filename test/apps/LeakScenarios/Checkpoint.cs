using System;

namespace HeapgateScenarios;

/// <summary>The stdout/stdin handshake that lets a collector snapshot the process at a known point.</summary>
internal static class Checkpoint
{
    /// <summary>
    /// Collects all garbage, announces <paramref name="label"/> and waits for the collector.
    /// Returns true on "continue", false on "exit" or end of input (the caller then exits 0).
    /// </summary>
    public static bool Reach(string label, bool waitForFinalizers = true)
    {
        // Two forced, blocking, compacting full GCs around the finalizer run, so objects released
        // by finalizers are gone too and the snapshot holds only what is really reachable. A
        // scenario that blocks the finalizer thread skips the wait (it would never end).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        if (waitForFinalizers) GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        // LEAKSCENARIOS_OWN_PROTOCOL=1 plays an app with its own ready line and reply (driven with
        // heapgate's --checkpoint-pattern and --continue-with): "ready for snapshot <label>", then "go".
        bool own = Environment.GetEnvironmentVariable("LEAKSCENARIOS_OWN_PROTOCOL") == "1";
        Console.Out.WriteLine(own ? "[app] ready for snapshot " + label : "heapgate:checkpoint " + label);
        Console.Out.Flush();

        while (true)
        {
            string? line = Console.In.ReadLine();
            if (line is null) return false;
            switch (line.Trim())
            {
                case "go" when own: return true;
                case "continue" when !own: return true;
                case "exit": return false;
                case "": continue;
                default:
                    Console.Error.WriteLine($"LeakScenarios: unknown command '{line.Trim()}' (expected 'continue' or 'exit')");
                    continue;
            }
        }
    }
}
