using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Steady;

internal sealed class TransientOrder(int id, string customer)
{
    public int Id { get; } = id;
    public string Customer { get; } = customer;
    public List<TransientLine> Lines { get; } = new();
}

internal sealed class TransientLine(string sku, int quantity)
{
    public string Sku { get; } = sku;
    public int Quantity { get; } = quantity;
}

/// <summary>
/// Short-lived allocation churn: orders, strings, lists and a dictionary that all become garbage
/// when the method returns. The same inputs every round, so any lazily filled runtime cache (e.g.
/// small-number strings) is complete after the warm-up round and never grows afterwards.
/// </summary>
internal static class Garbage
{
    private static long s_checksum;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Churn(int orders)
    {
        var byCustomer = new Dictionary<string, List<TransientOrder>>();
        for (int i = 0; i < orders; i++)
        {
            string customer = "customer-" + (i % 97).ToString(CultureInfo.InvariantCulture);
            var order = new TransientOrder(i, customer);
            for (int line = 0; line < 4; line++)
                order.Lines.Add(new TransientLine(string.Concat("sku-", customer, "-", line.ToString(CultureInfo.InvariantCulture)), line + 1));
            if (!byCustomer.TryGetValue(customer, out List<TransientOrder>? list))
                byCustomer[customer] = list = new List<TransientOrder>();
            list.Add(order);
        }
        long sum = 0;
        foreach (KeyValuePair<string, List<TransientOrder>> pair in byCustomer)
            foreach (TransientOrder order in pair.Value)
                foreach (TransientLine line in order.Lines)
                    sum += line.Quantity + line.Sku.Length;
        // Kept in a static so the work cannot be optimised away; a long holds no references.
        s_checksum += sum;
    }
}
