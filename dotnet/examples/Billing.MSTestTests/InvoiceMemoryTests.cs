using System.Threading.Tasks;
using Billing;
using Heapgate.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: DoNotParallelize]

namespace Billing.Tests;

[TestClass]
public sealed class InvoiceMemoryTests
{
    [TestMethod]
    public async Task Template_cache_stays_bounded()
    {
        var before = await HeapCheckpoint.TakeAsync("before-render");
        for (int i = 0; i < 500; i++) InvoiceRenderer.Render("standard", $"customer {i}", i);
        var after = await HeapCheckpoint.TakeAsync("after-render");
        await HeapAssert.NoGrowthAsync<InvoiceTemplate>(before, after, tolerance: 1);
    }

    // Leaks on purpose: RenderNumbered caches a template per invoice number.
    [TestMethod]
    [TestCategory("leaking-example")]
    public async Task Numbered_invoices_do_not_grow_the_template_cache()
    {
        var before = await HeapCheckpoint.TakeAsync("before-numbered");
        for (int i = 0; i < 500; i++) InvoiceRenderer.RenderNumbered(i, "standard", $"customer {i}", i);
        var after = await HeapCheckpoint.TakeAsync("after-numbered");
        await HeapAssert.NoGrowthAsync<InvoiceTemplate>(before, after, tolerance: 1);
    }
}
