using ClipLab.Evaluation.Benchmarks.Standard;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// The benchmark providers by name, in the order their benchmarks run. A suite names the built-in ones it runs
/// (<c>fashion-mnist</c>, <c>emoji</c>); those driven by options (<c>standard</c>: <c>--imagenet DIR</c> …,
/// <c>files</c>: <c>--benchmark FILE</c>) run whenever the options give them sources. A new benchmark is its own
/// file plus one <see cref="Register"/> line.
/// </summary>
public static class BenchmarkRegistry
{
    private static readonly object Gate = new();
    private static IBenchmarkProvider[] _providers = [];

    static BenchmarkRegistry()
    {
        Register(new FashionMnistBenchmarkProvider());
        Register(new EmojiBenchmarkProvider());
        Register(new StandardBenchmarkProvider());
        Register(new BenchmarkFileProvider());
    }

    /// <summary>Every registered provider, in run order.</summary>
    public static IReadOnlyList<IBenchmarkProvider> All => Volatile.Read(ref _providers);

    /// <summary>Names a suite may list: those not driven by options.</summary>
    public static IReadOnlyList<string> SuiteNames => All.Where(p => !p.DrivenByOptions).Select(p => p.Name).ToArray();

    /// <summary>Adds <paramref name="provider"/> after those registered so far.</summary>
    /// <exception cref="ArgumentException">Its name is empty or taken.</exception>
    public static void Register(IBenchmarkProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Name);
        lock (Gate)
        {
            if (_providers.Any(p => p.Name == provider.Name)) throw new ArgumentException($"benchmark provider '{provider.Name}' is already registered");
            Volatile.Write(ref _providers, [.. _providers, provider]);
        }
    }

    /// <summary>The benchmarks of <paramref name="request"/>: those of the providers its suite names, then those driven by its options.</summary>
    /// <exception cref="ArgumentException">The suite names an unknown provider (the message lists the valid ones), or two benchmarks share a name.</exception>
    public static BenchmarkSet Provide(BenchmarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var named = request.Options.Suite.Benchmarks;
        foreach (string name in named)
            if (!SuiteNames.Contains(name))
                throw new ArgumentException($"suite '{request.Options.Suite.Name}' names unknown benchmark '{name}'. Valid benchmarks: {string.Join(", ", SuiteNames)}");
        return All.Where(p => p.DrivenByOptions || named.Contains(p.Name))
            .Aggregate(BenchmarkSet.Empty, (set, provider) => set.Then(provider.Provide(request)));
    }
}
