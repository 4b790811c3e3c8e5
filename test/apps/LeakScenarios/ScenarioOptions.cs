using System;
using System.Globalization;

namespace HeapgateScenarios;

/// <summary>Command line: <c>&lt;scenario&gt; [--rounds N] [--per-round K] [--objects M]</c>.</summary>
internal sealed record ScenarioOptions(string Name, int Rounds, int? PerRound, int? Objects)
{
    public static ScenarioOptions Parse(string[] args)
    {
        string name = args[0];
        int rounds = 3;
        int? perRound = null;
        int? objects = null;
        for (int i = 1; i < args.Length; i++)
        {
            string flag = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"{flag} needs a value");
            int value = ParseCount(flag, args[++i]);
            switch (flag)
            {
                case "--rounds": rounds = value; break;
                case "--per-round": perRound = value; break;
                case "--objects": objects = value; break;
                default: throw new ArgumentException($"unknown option '{flag}'");
            }
        }
        return new ScenarioOptions(name, rounds, perRound, objects);
    }

    private static int ParseCount(string flag, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new ArgumentException($"{flag} expects a non-negative integer, got '{text}'");
        return value;
    }
}
