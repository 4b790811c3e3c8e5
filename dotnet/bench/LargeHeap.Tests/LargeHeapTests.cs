using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Heapgate.Testing;
using NUnit.Framework;

namespace LargeHeap.Tests;

/// <summary>
/// Checkpoint cost on a large test-host heap (scripts/measure-test-library.mjs): an order book of
/// HEAPGATE_BENCH_MB megabytes (default 100) stays alive across two checkpoints and an assertion.
/// </summary>
[TestFixture]
public sealed class LargeHeapTests
{
    private static readonly List<Order> Book = [];

    public sealed class Order(int id, string customer, byte[] lines)
    {
        public int Id { get; } = id;
        public string Customer { get; } = customer;
        public byte[] Lines { get; } = lines;
        public Order? Previous { get; set; }
    }

    [Test]
    public async Task Order_book_does_not_grow_while_idle()
    {
        int mb = int.TryParse(Environment.GetEnvironmentVariable("HEAPGATE_BENCH_MB"), out int m) ? m : 100;
        // ~200 bytes per order (object, string, small array): about 5,000 orders per MB.
        long orders = mb * 5_000L;
        Order? previous = null;
        for (int i = 0; i < orders; i++)
        {
            var order = new Order(i, $"customer-{i % 50_000}", new byte[64]) { Previous = previous };
            Book.Add(order);
            previous = order;
        }
        var before = await HeapCheckpoint.TakeAsync("before-idle");
        var after = await HeapCheckpoint.TakeAsync("after-idle");
        await HeapAssert.NoGrowthAsync<Order>(before, after);
        TestContext.Out.WriteLine($"heap {after.Bytes:N0} bytes, {after.Objects:N0} objects; collect {before.CollectTime.TotalMilliseconds:N0} + {after.CollectTime.TotalMilliseconds:N0} ms");
    }
}
