using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

internal sealed class CacheEntry(int key)
{
    public int Key { get; } = key;
    public string Name { get; } = "product-" + key.ToString(CultureInfo.InvariantCulture);
    public byte[] Data { get; } = new byte[48];
}

/// <summary>A cache with no eviction policy: every new key stays forever.</summary>
internal static class ProductCache
{
    public static readonly Dictionary<int, CacheEntry> s_entries = new();

    public static CacheEntry GetOrAdd(int key)
    {
        if (!s_entries.TryGetValue(key, out CacheEntry? entry))
            s_entries[key] = entry = new CacheEntry(key);
        return entry;
    }
}

internal sealed class CacheScenario(int perRound) : IScenario
{
    private int _nextKey;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
            ProductCache.GetOrAdd(_nextKey++);
    }
}
