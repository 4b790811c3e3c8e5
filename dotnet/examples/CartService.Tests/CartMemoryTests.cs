using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CartService;
using Heapgate.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace CartService.Tests;

// A checkpoint sees the whole test host, so memory tests run one at a time.
[CollectionDefinition("memory", DisableParallelization = true)]
public sealed class MemoryCollection;

[Collection("memory")]
public sealed class CartMemoryTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const int Carts = 300;

    [Fact]
    public async Task Checked_out_carts_are_released()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        HttpClient client = factory.CreateClient();
        await ShopAsync(client, 20, withAlert: false, ct); // warm-up: routing, JIT, pools
        var before = await HeapCheckpoint.TakeAsync("before-checkout", ct);

        await ShopAsync(client, Carts, withAlert: false, ct);

        var after = await HeapCheckpoint.TakeAsync("after-checkout", ct);
        await HeapAssert.NoGrowthAsync<Cart>(before, after, cancellationToken: ct);
        await HeapAssert.HeapGrowthWithinAsync(before, after, 2_000_000, ct);
    }

    // Leaks on purpose: PriceAlert subscribes to the singleton PriceFeed and never unsubscribes.
    [Fact]
    [Trait("heapgate", "leaking-example")]
    public async Task Carts_with_price_alerts_are_released()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        HttpClient client = factory.CreateClient();
        await ShopAsync(client, 20, withAlert: false, ct);
        var before = await HeapCheckpoint.TakeAsync("before-alerts", ct);

        await ShopAsync(client, Carts, withAlert: true, ct);

        var after = await HeapCheckpoint.TakeAsync("after-alerts", ct);
        await HeapAssert.NoGrowthAsync<Cart>(before, after, cancellationToken: ct);
    }

    private static async Task ShopAsync(HttpClient client, int carts, bool withAlert, CancellationToken ct)
    {
        for (int i = 0; i < carts; i++)
        {
            var created = await client.PostAsync("/carts", null, ct);
            string id = await created.EnsureSuccessStatusCode().Content.ReadAsStringAsync(ct);
            (await client.PostAsync($"/carts/{id}/items/sku-{i % 7}", null, ct)).EnsureSuccessStatusCode();
            if (withAlert) (await client.PostAsync($"/carts/{id}/price-alerts", null, ct)).EnsureSuccessStatusCode();
            (await client.PostAsync($"/carts/{id}/checkout", null, ct)).EnsureSuccessStatusCode();
        }
    }
}
