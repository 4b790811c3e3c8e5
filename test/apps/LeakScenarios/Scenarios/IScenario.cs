namespace HeapgateScenarios;

/// <summary>One scenario: the work done once per round.</summary>
internal interface IScenario
{
    /// <summary>True when the scenario builds its heap once and has a single checkpoint.</summary>
    bool OneShot => false;

    /// <summary>
    /// True when the scenario blocks the finalizer thread on purpose: its checkpoints then do not
    /// wait for pending finalizers (they would wait for ever).
    /// </summary>
    bool BlocksFinalizers => false;

    /// <summary>
    /// Does one round of work. Implementations are marked NoInlining so no stale reference to
    /// round-local objects can survive in the caller's stack frame across a checkpoint.
    /// </summary>
    void RunRound();
}
