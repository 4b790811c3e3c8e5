using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersService.Data;
using OrdersService.Pricing;

namespace OrdersService.Hosting;

/// <summary>Singleton: the latest figures the background service computed.</summary>
public sealed class OrderStats
{
    private int _ordersInLastWindow;

    public int OrdersInLastWindow
    {
        get => Volatile.Read(ref _ordersInLastWindow);
        set => Volatile.Write(ref _ordersInLastWindow, value);
    }
}

/// <summary>
/// Background service: every 200 ms counts the orders of the last five seconds through its own
/// scope and DbContext, and now and then publishes a price change on the <see cref="PriceBoard"/>.
/// </summary>
public sealed partial class OrderStatsService(
    IServiceScopeFactory scopes,
    OrderStats stats,
    PriceBoard board,
    ILogger<OrderStatsService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        long tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                tick++;
                await using (AsyncServiceScope scope = scopes.CreateAsyncScope())
                {
                    OrdersDbContext db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
                    DateTime since = DateTime.UtcNow - Window;
                    stats.OrdersInLastWindow = await db.Orders.CountAsync(o => o.CreatedAt >= since, stoppingToken);
                }
                if (tick % 5 == 0)
                {
                    string sku = "SKU-" + (tick / 5 % 50).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
                    board.Publish(sku, 10m + tick % 7);
                }
                if (tick % 50 == 0) LogStats(logger, stats.OrdersInLastWindow, board.Changes);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Orders in the last 5 s: {OrdersInWindow}; price changes published: {PriceChanges}")]
    private static partial void LogStats(ILogger logger, int ordersInWindow, long priceChanges);
}
