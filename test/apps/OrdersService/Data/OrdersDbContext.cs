using System;
using Microsoft.EntityFrameworkCore;

namespace OrdersService.Data;

public sealed class Order
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    public string Sku { get; set; } = "";
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public string ReservationId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.HasIndex(o => o.CustomerId);
            order.Property(o => o.Sku).HasMaxLength(32);
            order.Property(o => o.UnitPrice).HasConversion<double>();
        });
    }
}
