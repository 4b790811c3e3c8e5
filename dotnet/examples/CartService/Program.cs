// CartService: a small shopping-cart API used by the Heapgate.Testing examples. One of its
// features has a classic leak: a price alert subscribes to the singleton price feed and never
// unsubscribes, so every cart that ever had an alert stays alive after checkout.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using CartService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<CartStore>();
builder.Services.AddSingleton<PriceFeed>();
var app = builder.Build();

app.MapPost("/carts", (CartStore store) => Results.Ok(store.Create().Id));
app.MapPost("/carts/{id:int}/items/{sku}", (int id, string sku, CartStore store) =>
    store.TryGet(id, out var cart) ? Results.Ok(cart.Add(sku)) : Results.NotFound());
app.MapPost("/carts/{id:int}/price-alerts", (int id, CartStore store, PriceFeed feed) =>
{
    if (!store.TryGet(id, out var cart)) return Results.NotFound();
    cart.Alert = new PriceAlert(cart, feed);
    return Results.Ok();
});
app.MapPost("/carts/{id:int}/checkout", (int id, CartStore store) =>
    store.Checkout(id) is { } total ? Results.Ok(total) : Results.NotFound());
app.Run();

namespace CartService
{
    public sealed class Cart(int id)
    {
        private readonly List<string> _items = [];
        // A cart holds its line data, so a leaked cart costs memory like a real one.
        private readonly byte[] _state = new byte[512];

        public int Id { get; } = id;
        public PriceAlert? Alert { get; set; }

        public int Add(string sku)
        {
            _items.Add(sku);
            _state[_items.Count % _state.Length]++;
            return _items.Count;
        }

        public decimal Total => _items.Count * 9.99m;
    }

    public sealed class CartStore
    {
        private readonly ConcurrentDictionary<int, Cart> _open = new();
        private int _next;

        public Cart Create()
        {
            var cart = new Cart(Interlocked.Increment(ref _next));
            _open[cart.Id] = cart;
            return cart;
        }

        public bool TryGet(int id, out Cart cart) => _open.TryGetValue(id, out cart!);

        /// <summary>Closes the cart: it leaves the store, and nothing else should hold it.</summary>
        public decimal? Checkout(int id) => _open.TryRemove(id, out var cart) ? cart.Total : null;
    }

    /// <summary>Publishes price changes to whoever listens, for the whole life of the app.</summary>
    public sealed class PriceFeed
    {
        public event EventHandler<decimal>? PriceChanged;

        public void Publish(decimal price) => PriceChanged?.Invoke(this, price);
    }

    /// <summary>The leak: subscribes to the singleton feed and never unsubscribes, not even at checkout.</summary>
    public sealed class PriceAlert
    {
        private readonly Cart _cart;

        public PriceAlert(Cart cart, PriceFeed feed)
        {
            _cart = cart;
            feed.PriceChanged += OnPriceChanged;
        }

        public decimal LastSeen { get; private set; }

        private void OnPriceChanged(object? sender, decimal price) => LastSeen = price + _cart.Total * 0;
    }
}

public partial class Program;
