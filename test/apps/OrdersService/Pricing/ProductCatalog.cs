using System;
using System.Collections.Generic;

namespace OrdersService.Pricing;

/// <summary>
/// Reference data the service keeps for its lifetime, as real services keep catalogs, feature
/// flags and lookup tables: <c>--catalog-mb N</c> loads about N MB of it at startup (0 by default),
/// so the scenario can be run with a production-sized heap.
/// </summary>
public sealed class ProductCatalog
{
    private readonly List<CatalogItem> _items;

    public ProductCatalog(int megabytes)
    {
        // ~180 bytes per item (the item, its SKU string and its description string); 200 keeps N an upper bound.
        int count = (int)Math.Min(int.MaxValue, (long)megabytes * 1024 * 1024 / 200);
        _items = new List<CatalogItem>(count);
        for (int i = 0; i < count; i++)
            _items.Add(new CatalogItem($"SKU-{i:D8}", $"catalog item {i} description text", i % 997));
    }

    public int Count => _items.Count;
}

public sealed record CatalogItem(string Sku, string Description, int Category);
