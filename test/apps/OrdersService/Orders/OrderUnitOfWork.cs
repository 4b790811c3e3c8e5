using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OrdersService.Data;

namespace OrdersService.Orders;

/// <summary>Scoped: places one order through the request's DbContext.</summary>
public sealed class OrderUnitOfWork(OrdersDbContext db)
{
    public OrdersDbContext Db { get; } = db;

    public async Task<Order> PlaceAsync(Order order, CancellationToken cancel)
    {
        Db.Orders.Add(order);
        await Db.SaveChangesAsync(cancel);
        return order;
    }
}

public readonly record struct OrderActivity(int OrderId, int CustomerId, DateTime At);

/// <summary>
/// Singleton: the most recent order activity, for the stats endpoint. Keeps a bounded ring of plain
/// values; with the <c>captive-scoped</c> leak on it also keeps every request's scoped
/// <see cref="OrderUnitOfWork"/> (and so its DbContext), which the singleton outlives.
/// </summary>
public sealed class RecentOrderActivity(LeakSwitches leaks)
{
    private const int Capacity = 64;
    private readonly OrderActivity[] _ring = new OrderActivity[Capacity];
    private readonly List<OrderUnitOfWork> _units = new();
    private readonly bool _leak = leaks.IsOn(LeakSwitches.CaptiveScoped);
    private readonly Lock _lock = new();
    private long _total;

    public void Record(Order order, OrderUnitOfWork unit)
    {
        lock (_lock)
        {
            _ring[_total % Capacity] = new OrderActivity(order.Id, order.CustomerId, order.CreatedAt);
            _total++;
            if (_leak) _units.Add(unit); // the mistake: a scoped service captured by a singleton
        }
    }

    public long Total
    {
        get { lock (_lock) return _total; }
    }
}

/// <summary>What a customer is shown after ordering; cached per order with the <c>cache-unbounded</c> leak on.</summary>
public sealed record OrderReceipt(int OrderId, int CustomerId, string Sku, int Quantity, decimal Total, string ReservationId);

public sealed record PlaceOrderRequest(int CustomerId, string Sku, int Quantity);

public sealed record OrderView(int Id, int CustomerId, string Sku, int Quantity, decimal UnitPrice, DateTime CreatedAt)
{
    public static OrderView From(Order o) => new(o.Id, o.CustomerId, o.Sku, o.Quantity, o.UnitPrice, o.CreatedAt);
}
