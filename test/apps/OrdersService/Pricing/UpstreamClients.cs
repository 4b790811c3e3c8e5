using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Memory;

namespace OrdersService.Pricing;

public sealed record PriceQuote(string Sku, decimal Price);

public sealed record StockReservation(string ReservationId, string Sku, int Quantity);

/// <summary>Typed client (IHttpClientFactory) for the upstream's prices, cached in IMemoryCache for one second.</summary>
public sealed class PricingClient(HttpClient http, IMemoryCache cache)
{
    private static readonly TimeSpan PriceLifetime = TimeSpan.FromSeconds(1);

    public async Task<decimal> GetPriceAsync(string sku, CancellationToken cancel)
    {
        if (cache.TryGetValue("price:" + sku, out decimal cached)) return cached;
        PriceQuote quote = await http.GetFromJsonAsync<PriceQuote>("prices/" + Uri.EscapeDataString(sku), cancel)
            ?? throw new InvalidOperationException("upstream returned no price for " + sku);
        cache.Set("price:" + sku, quote.Price, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = PriceLifetime });
        return quote.Price;
    }
}

/// <summary>
/// Typed client (IHttpClientFactory) for stock reservations at the upstream. With the
/// <c>httpclient-per-request</c> leak on, each call makes its own HttpClient instead, and keeps it
/// in a static list "to dispose at shutdown" — so every client, its handler, connection pool and
/// open connection live as long as the process.
/// </summary>
public sealed class StockClient(HttpClient http, LeakSwitches leaks)
{
    private static readonly List<HttpClient> s_createdClients = new();
    private static readonly Lock s_lock = new();

    /// <summary>Disposes the clients made per request (called when the service stops).</summary>
    public static void DisposeCreatedClients()
    {
        lock (s_lock)
        {
            foreach (HttpClient client in s_createdClients) client.Dispose();
            s_createdClients.Clear();
        }
    }

    public async Task<StockReservation> ReserveAsync(string sku, int quantity, CancellationToken cancel)
    {
        string path = "stock/" + Uri.EscapeDataString(sku) + "/reserve?quantity=" + quantity;
        HttpClient client = http;
        if (leaks.IsOn(LeakSwitches.HttpClientPerRequest))
        {
            client = new HttpClient { BaseAddress = http.BaseAddress }; // the mistake: one client per request
            lock (s_lock) s_createdClients.Add(client);
        }
        using HttpResponseMessage response = await client.PostAsync(path, content: null, cancel);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<StockReservation>(cancel)
            ?? throw new InvalidOperationException("upstream returned no reservation for " + sku);
    }
}
