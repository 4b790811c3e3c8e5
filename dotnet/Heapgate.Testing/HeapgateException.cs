using System;

namespace Heapgate.Testing;

/// <summary>heapgate could not take a checkpoint or judge an assertion (not a failed assertion).</summary>
public sealed class HeapgateException : Exception
{
    /// <summary>Creates the exception with heapgate's message.</summary>
    public HeapgateException(string message) : base(message) { }

    /// <summary>Creates the exception with heapgate's message and its cause.</summary>
    public HeapgateException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A memory assertion did not hold; thrown when no supported test framework is loaded.</summary>
public sealed class HeapAssertionException : Exception
{
    /// <summary>Creates the exception with the failure message.</summary>
    public HeapAssertionException(string message, AssertionOutcome outcome) : base(message) => Outcome = outcome;

    /// <summary>heapgate's outcome: verdict, message, report and snapshot files.</summary>
    public AssertionOutcome Outcome { get; }
}
