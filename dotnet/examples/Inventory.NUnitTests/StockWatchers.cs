using System;
using System.Collections.Generic;

namespace Inventory;

/// <summary>Stock-level notifications: every active watcher is registered here until disposed.</summary>
public static class StockEvents
{
    private static readonly List<StockWatcher> Watchers = [];

    internal static void Register(StockWatcher w) { lock (Watchers) Watchers.Add(w); }

    internal static void Unregister(StockWatcher w) { lock (Watchers) Watchers.Remove(w); }

    public static int Count { get { lock (Watchers) return Watchers.Count; } }
}

public sealed class StockWatcher : IDisposable
{
    private readonly string _sku;
    private readonly int[] _history = new int[32];

    public StockWatcher(string sku)
    {
        _sku = sku;
        StockEvents.Register(this);
    }

    public string Sku => _sku;

    public int Last => _history[0];

    /// <summary>Watches another SKU instead of this one. The bug: this watcher's registration is never removed.</summary>
    public StockWatcher Retarget(string sku) => new(sku);

    public void Dispose() => StockEvents.Unregister(this);
}
