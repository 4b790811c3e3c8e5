using System.Collections.Concurrent;
using System.Text;

namespace Billing;

/// <summary>A parsed invoice template; parsing is slow, so templates are cached.</summary>
public sealed class InvoiceTemplate(string layout)
{
    private readonly char[] _parsed = layout.ToCharArray();

    public string Render(string customer, decimal amount) =>
        new StringBuilder().Append(_parsed).Append(customer).Append(' ').Append(amount).ToString();
}

public static class InvoiceRenderer
{
    private static readonly ConcurrentDictionary<string, InvoiceTemplate> Templates = new();

    /// <summary>Caches one template per layout: bounded by the number of layouts.</summary>
    public static string Render(string layout, string customer, decimal amount) =>
        Templates.GetOrAdd(layout, l => new InvoiceTemplate(l)).Render(customer, amount);

    /// <summary>The bug: caches one template per invoice number, so the cache never stops growing.</summary>
    public static string RenderNumbered(int invoice, string layout, string customer, decimal amount) =>
        Templates.GetOrAdd($"{layout}#{invoice}", _ => new InvoiceTemplate(layout)).Render(customer, amount);
}
