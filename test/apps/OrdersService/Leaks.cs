using System;
using System.Collections.Generic;
using System.Linq;

namespace OrdersService;

/// <summary>The seeded mistakes, each off unless named with <c>--leak</c>.</summary>
public sealed class LeakSwitches
{
    /// <summary>Every switch name, as accepted by <c>--leak</c>.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        EventSubscriber,
        CacheUnbounded,
        HttpClientPerRequest,
        StaticRequestList,
        CaptiveScoped,
        OptionsCallback,
        DiagnosticListenerSubscription,
        UnboundedChannel,
        SemaphoreWaiters,
        TimerPerRequest,
    ];

    /// <summary>The per-order <c>OrderPriceWatcher</c> subscribes to the singleton <c>PriceBoard.PriceChanged</c> and never unsubscribes.</summary>
    public const string EventSubscriber = "event-subscriber";

    /// <summary>Each order's receipt goes into <c>IMemoryCache</c> under its own key, with no expiry and no size limit.</summary>
    public const string CacheUnbounded = "cache-unbounded";

    /// <summary>The stock reservation call creates a new <c>HttpClient</c> per request instead of using <c>IHttpClientFactory</c>, kept in a static list until shutdown.</summary>
    public const string HttpClientPerRequest = "httpclient-per-request";

    /// <summary>The audit middleware keeps every request's <c>HttpContext</c> in a static list instead of a bounded summary.</summary>
    public const string StaticRequestList = "static-request-list";

    /// <summary>The singleton <c>RecentOrderActivity</c> keeps each request's scoped <c>OrderUnitOfWork</c> (and its DbContext).</summary>
    public const string CaptiveScoped = "captive-scoped";

    /// <summary>Each order registers an <c>IOptionsMonitor&lt;PricingOptions&gt;.OnChange</c> callback and drops the registration.</summary>
    public const string OptionsCallback = "options-callback";

    /// <summary>Each order subscribes an observer to a static <c>DiagnosticListener</c> and never disposes the subscription.</summary>
    public const string DiagnosticListenerSubscription = "diagnostic-listener";

    /// <summary>Each order writes an event to an unbounded channel that nothing reads.</summary>
    public const string UnboundedChannel = "unbounded-channel";

    /// <summary>Each order starts a confirmation that waits on a <c>SemaphoreSlim</c> nobody releases.</summary>
    public const string SemaphoreWaiters = "semaphore-waiters";

    /// <summary>Each order starts a <c>System.Timers.Timer</c> reminder that is never stopped or disposed.</summary>
    public const string TimerPerRequest = "timer-per-request";

    private readonly HashSet<string> _on;

    public LeakSwitches(IEnumerable<string> on) => _on = new HashSet<string>(on, StringComparer.Ordinal);

    public bool IsOn(string name) => _on.Contains(name);

    public override string ToString() => _on.Count == 0 ? "none" : string.Join(",", _on.OrderBy(n => n, StringComparer.Ordinal));
}
