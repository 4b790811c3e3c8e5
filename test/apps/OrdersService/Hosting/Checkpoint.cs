using System;
using System.Diagnostics;
using System.Threading;

namespace OrdersService.Hosting;

/// <summary>heapgate's checkpoint: settle, collect all garbage, announce the label on stdout.</summary>
public static class Checkpoint
{
    /// <summary>
    /// Waits (at most 10 s) until no client connection is open, then runs two forced, blocking,
    /// compacting full GCs around the finalizer run, as the console scenarios do, and prints
    /// <c>heapgate:checkpoint label</c>.
    /// </summary>
    public static void Reach(string label, ConnectionCounter connections)
    {
        var waited = Stopwatch.StartNew();
        while (connections.Open > 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        if (connections.Open > 0)
            Console.Error.WriteLine($"OrdersService: {connections.Open} connection(s) still open at checkpoint {label}");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Console.Out.WriteLine("heapgate:checkpoint " + label);
        Console.Out.Flush();
    }
}
