using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace OrdersService.Orders;

/// <summary>Options the per-order pricing watcher follows (bound through <c>IOptionsMonitor</c>).</summary>
public sealed class PricingOptions
{
    public decimal MaxDiscount { get; set; } = 0.1m;
}

/// <summary>Watches pricing options while one order is placed (<c>options-callback</c> leak: never unregistered).</summary>
public sealed class PricingOptionsWatcher(int orderId)
{
    public int OrderId { get; } = orderId;
    public decimal MaxDiscount { get; private set; }

    public void OnChanged(PricingOptions options) => MaxDiscount = options.MaxDiscount;
}

/// <summary>Observes the order diagnostics of one order (<c>diagnostic-listener</c> leak: the subscription is never disposed).</summary>
public sealed class OrderDiagnosticObserver(int orderId) : IObserver<KeyValuePair<string, object?>>
{
    public int OrderId { get; } = orderId;
    public int Events { get; private set; }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
    public void OnNext(KeyValuePair<string, object?> value) => Events++;
}

/// <summary>An order event written to the outbox channel (<c>unbounded-channel</c> leak: nothing reads it).</summary>
public sealed class OrderEvent(int orderId, string sku, DateTime at)
{
    public int OrderId { get; } = orderId;
    public string Sku { get; } = sku;
    public DateTime At { get; } = at;
}

/// <summary>A confirmation waiting for a slot (<c>semaphore-waiters</c> leak: the slot is never released).</summary>
public sealed class PendingConfirmation(int orderId)
{
    public int OrderId { get; } = orderId;
    public bool Confirmed { get; set; }
}

/// <summary>A reminder scheduled per order (<c>timer-per-request</c> leak: its <c>System.Timers.Timer</c> is never disposed).</summary>
public sealed class OrderReminder(int orderId)
{
    public int OrderId { get; } = orderId;
    public int Fired { get; private set; }

    public void OnElapsed(object? sender, System.Timers.ElapsedEventArgs e) => Fired++;
}

/// <summary>
/// Singleton: what happens after an order is placed. Each of its steps is correct unless its leak
/// switch is on, and each switch retains one object per order in a framework structure.
/// </summary>
public sealed class OrderFollowUp
{
    private static readonly DiagnosticListener s_diagnostics = new("OrdersService.Orders");
    private readonly IOptionsMonitor<PricingOptions> _options;
    private readonly LeakSwitches _leaks;
    private readonly Channel<OrderEvent> _outbox = Channel.CreateUnbounded<OrderEvent>();
    private readonly SemaphoreSlim _confirmationSlots = new(0);

    public OrderFollowUp(IOptionsMonitor<PricingOptions> options, LeakSwitches leaks)
    {
        _options = options;
        _leaks = leaks;
    }

    public void After(int orderId, string sku)
    {
        if (_leaks.IsOn(LeakSwitches.OptionsCallback))
        {
            var watcher = new PricingOptionsWatcher(orderId);
            _options.OnChange(watcher.OnChanged); // the mistake: the returned registration is dropped, never disposed
        }
        if (_leaks.IsOn(LeakSwitches.DiagnosticListenerSubscription))
            s_diagnostics.Subscribe(new OrderDiagnosticObserver(orderId)); // the mistake: never disposed
        if (_leaks.IsOn(LeakSwitches.UnboundedChannel))
            _outbox.Writer.TryWrite(new OrderEvent(orderId, sku, DateTime.UtcNow)); // the mistake: no reader, no bound
        if (_leaks.IsOn(LeakSwitches.SemaphoreWaiters))
            _ = ConfirmLaterAsync(new PendingConfirmation(orderId)); // the mistake: no slot is ever released
        if (_leaks.IsOn(LeakSwitches.TimerPerRequest))
        {
            var reminder = new OrderReminder(orderId);
            var timer = new System.Timers.Timer(TimeSpan.FromHours(1).TotalMilliseconds) { AutoReset = false };
            timer.Elapsed += reminder.OnElapsed;
            timer.Start(); // the mistake: a timer per order, never stopped or disposed
        }
        if (s_diagnostics.IsEnabled("OrderPlaced"))
            s_diagnostics.Write("OrderPlaced", orderId);
    }

    private async Task ConfirmLaterAsync(PendingConfirmation pending)
    {
        await _confirmationSlots.WaitAsync().ConfigureAwait(false);
        pending.Confirmed = true;
    }
}
