using System;
using System.Threading;

namespace OrdersService.Pricing;

public sealed class PriceChangedEventArgs(string sku, decimal price) : EventArgs
{
    public string Sku { get; } = sku;
    public decimal Price { get; } = price;
}

/// <summary>Singleton: announces price changes to whoever listens (per-order watchers, among others).</summary>
public sealed class PriceBoard
{
    private long _changes;

    public event EventHandler<PriceChangedEventArgs>? PriceChanged;

    public long Changes => Interlocked.Read(ref _changes);

    public void Publish(string sku, decimal price)
    {
        Interlocked.Increment(ref _changes);
        PriceChanged?.Invoke(this, new PriceChangedEventArgs(sku, price));
    }
}

/// <summary>
/// Scoped: watches the price of the SKU being ordered while the order is placed, so a change during
/// the request can be reported. Unsubscribes when the request's scope is disposed, unless the
/// <c>event-subscriber</c> leak is on.
/// </summary>
public sealed class OrderPriceWatcher : IDisposable
{
    private readonly PriceBoard _board;
    private readonly bool _leak;
    private string _sku = "";

    public OrderPriceWatcher(PriceBoard board, LeakSwitches leaks)
    {
        _board = board;
        _leak = leaks.IsOn(LeakSwitches.EventSubscriber);
        _board.PriceChanged += OnPriceChanged;
    }

    public bool PriceMoved { get; private set; }

    public void Watch(string sku) => _sku = sku;

    private void OnPriceChanged(object? sender, PriceChangedEventArgs e)
    {
        if (e.Sku == _sku) PriceMoved = true;
    }

    public void Dispose()
    {
        if (!_leak) _board.PriceChanged -= OnPriceChanged;
    }
}
