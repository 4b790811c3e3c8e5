using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Big;

internal sealed class Product(int id, string name)
{
    public int Id { get; } = id;
    public string Name { get; } = name;
}

internal sealed class OrderLine(Product product, int quantity)
{
    public Product Product { get; } = product;
    public int Quantity { get; } = quantity;
}

internal sealed class Order(int id, string code, Customer owner, OrderLine[] lines)
{
    public int Id { get; } = id;
    public string Code { get; } = code;
    public Customer Owner { get; } = owner;
    public OrderLine[] Lines { get; } = lines;
}

internal sealed class Customer(int id, string name)
{
    public int Id { get; } = id;
    public string Name { get; } = name;
    public List<Order> Orders { get; } = new(OrdersPerCustomer);

    public const int OrdersPerCustomer = 4;
}

/// <summary>The root of the big heap: a product catalog, customers in a list and an index.</summary>
internal sealed class Store
{
    public static Store? s_root;

    public Product[] Catalog { get; } = new Product[1000];
    public List<Customer> Customers { get; } = new();
    public Dictionary<int, Customer> ById { get; } = new();
}

/// <summary>Builds at least M small live objects with realistic shapes and edges (back references, shared products).</summary>
internal sealed class BigScenario(int objects) : IScenario
{
    private const int LinesPerOrder = 3;

    public bool OneShot => true;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        var store = new Store();
        long built = 5; // store, catalog array, customer list, dictionary and its first arrays are not counted exactly; this is a floor
        for (int p = 0; p < store.Catalog.Length; p++)
            store.Catalog[p] = new Product(p, "product-" + p.ToString(CultureInfo.InvariantCulture));
        built += 2L * store.Catalog.Length;

        int orderId = 0;
        for (int c = 0; built < objects; c++)
        {
            // Customer + name + List<Order> + its backing array.
            var customer = new Customer(c, "customer-" + c.ToString(CultureInfo.InvariantCulture));
            built += 4;
            for (int o = 0; o < Customer.OrdersPerCustomer; o++)
            {
                var lines = new OrderLine[LinesPerOrder];
                for (int l = 0; l < lines.Length; l++)
                    lines[l] = new OrderLine(store.Catalog[(c * 7 + o * 3 + l) % store.Catalog.Length], l + 1);
                customer.Orders.Add(new Order(orderId, "O" + orderId.ToString(CultureInfo.InvariantCulture), customer, lines));
                orderId++;
                built += 3 + LinesPerOrder; // order, code string, lines array, lines
            }
            store.Customers.Add(customer);
            store.ById.Add(c, customer);
        }
        Store.s_root = store;
        Console.Out.WriteLine($"big: built at least {built} live objects ({store.Customers.Count} customers)");
    }
}
