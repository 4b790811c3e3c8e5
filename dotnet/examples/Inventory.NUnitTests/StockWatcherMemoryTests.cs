using System.Threading.Tasks;
using Heapgate.Testing;
using Inventory;
using NUnit.Framework;

namespace Inventory.Tests;

[TestFixture]
public sealed class StockWatcherMemoryTests
{
    [Test]
    public async Task Disposed_watchers_are_released()
    {
        var before = await HeapCheckpoint.TakeAsync("before-watch");
        for (int i = 0; i < 400; i++)
        {
            using var watcher = new StockWatcher($"sku-{i}");
        }
        var after = await HeapCheckpoint.TakeAsync("after-watch");
        await HeapAssert.NoGrowthAsync<StockWatcher>(before, after);
    }

    // Leaks on purpose: Retarget registers a new watcher and never unregisters the old one.
    [Test]
    [Category("leaking-example")]
    public async Task Retargeted_watchers_are_released()
    {
        var before = await HeapCheckpoint.TakeAsync("before-retarget");
        var watcher = new StockWatcher("sku-0");
        for (int i = 1; i < 400; i++) watcher = watcher.Retarget($"sku-{i}");
        watcher.Dispose();
        var after = await HeapCheckpoint.TakeAsync("after-retarget");
        await HeapAssert.NoInstancesAsync<StockWatcher>(after);
    }
}
