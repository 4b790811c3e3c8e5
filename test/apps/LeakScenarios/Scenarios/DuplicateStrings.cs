using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

internal sealed class CustomerRecord(int id, string country)
{
    public int Id { get; } = id;
    public string Country { get; } = country;
}

/// <summary>A directory that only grows, and stores a fresh copy of one of ten country names per record.</summary>
internal static class CustomerDirectory
{
    public static readonly List<CustomerRecord> s_records = new();

    /// <summary>Two copies of a value with a terminal escape and a right-to-left override, built at run time.</summary>
    public static readonly string[] s_hostile =
        [string.Concat("evil", Escape), string.Concat("evil", Escape)];

    private const string Escape = "\u001b[2J\u202Etxt";
}

/// <summary>
/// Duplicate-string waste: each record gets its own copy of "country-0" .. "country-9" (built at
/// run time, never interned), so every value has (number of records) / 10 identical copies.
/// </summary>
internal sealed class DuplicateStringsScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
        {
            int id = _nextId++;
            string country = string.Concat("country-", (id % 10).ToString(CultureInfo.InvariantCulture));
            CustomerDirectory.s_records.Add(new CustomerRecord(id, country));
        }
    }
}
