using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using OrdersService.Data;
using OrdersService.Hosting;
using OrdersService.Pricing;

namespace OrdersService.Orders;

public static partial class OrderEndpoints
{
    public static void MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", PlaceAsync);
        app.MapGet("/orders/{id:int}", GetAsync);
        app.MapGet("/customers/{customerId:int}/orders", RecentForCustomerAsync);
        app.MapGet("/catalog/{sku}", PriceAsync);
        app.MapGet("/stats", (RecentOrderActivity activity, OrderStats stats) =>
            Results.Ok(new { placed = activity.Total, lastWindow = stats.OrdersInLastWindow }));
    }

    private static async Task<IResult> PlaceAsync(
        PlaceOrderRequest request,
        OrderUnitOfWork unit,
        OrderPriceWatcher watcher,
        PricingClient pricing,
        StockClient stock,
        RecentOrderActivity activity,
        IMemoryCache cache,
        OrderFollowUp followUp,
        LeakSwitches leaks,
        ILogger<OrderUnitOfWork> logger,
        CancellationToken cancel)
    {
        if (request.Quantity <= 0 || string.IsNullOrEmpty(request.Sku))
            return Results.BadRequest(new { error = "sku and a positive quantity are required" });
        watcher.Watch(request.Sku);
        decimal price = await pricing.GetPriceAsync(request.Sku, cancel);
        StockReservation reservation = await stock.ReserveAsync(request.Sku, request.Quantity, cancel);
        Order order = await unit.PlaceAsync(
            new Order
            {
                CustomerId = request.CustomerId,
                Sku = request.Sku,
                Quantity = request.Quantity,
                UnitPrice = price,
                ReservationId = reservation.ReservationId,
                CreatedAt = DateTime.UtcNow,
            },
            cancel);
        activity.Record(order, unit);
        var receipt = new OrderReceipt(order.Id, order.CustomerId, order.Sku, order.Quantity, price * order.Quantity, order.ReservationId);
        if (leaks.IsOn(LeakSwitches.CacheUnbounded))
            cache.Set("receipt:" + order.Id, receipt); // the mistake: a key per order, no expiry, no size limit
        followUp.After(order.Id, order.Sku);
        LogPlaced(logger, order.Id, order.CustomerId, order.Sku, order.Quantity, watcher.PriceMoved);
        return Results.Created("/orders/" + order.Id, receipt);
    }

    private static async Task<IResult> GetAsync(int id, OrdersDbContext db, CancellationToken cancel)
    {
        Order? order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancel);
        return order is null ? Results.NotFound() : Results.Ok(OrderView.From(order));
    }

    private static async Task<IResult> RecentForCustomerAsync(int customerId, OrdersDbContext db, CancellationToken cancel)
    {
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.Id)
            .Take(5)
            .ToListAsync(cancel);
        return Results.Ok(orders.Select(OrderView.From).ToList());
    }

    private static async Task<IResult> PriceAsync(string sku, PricingClient pricing, CancellationToken cancel) =>
        Results.Ok(new PriceQuote(sku, await pricing.GetPriceAsync(sku, cancel)));

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug,
        Message = "Placed order {OrderId} for customer {CustomerId}: {Quantity} x {Sku} (price moved: {PriceMoved})")]
    private static partial void LogPlaced(ILogger logger, int orderId, int customerId, string sku, int quantity, bool priceMoved);
}
