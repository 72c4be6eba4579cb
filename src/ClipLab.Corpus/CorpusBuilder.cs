using System.Diagnostics;
using ClipLab.Data;
using ClipLab.Data.Fashion;

namespace ClipLab.Corpus;

/// <summary>
/// The default pre-training corpus (<c>cliplab data corpus</c>): all importers mixed into one stream, each sample
/// tagged train or held-out by <see cref="HeldOutSplit"/> (2% by key hash), so the caller writes two shard sets.
/// </summary>
/// <remarks>
/// Sources are interleaved in proportion to their sizes (at each step the source furthest behind its share is
/// read), deterministically, so every shard holds a mix of sources rather than one source per shard range. The
/// default corpus takes Fashion-MNIST's train split only: its test split stays reserved for zero-shot
/// classification. Reading happens once; <see cref="Train"/> and <see cref="HeldOut"/> each read everything and
/// keep one split, so prefer <see cref="Read"/> when writing both.
/// </remarks>
public sealed class CorpusBuilder
{
    private readonly List<ImportReport> _reports = [];

    /// <summary>Mixes <paramref name="importers"/>, holding out <paramref name="heldOutPerMille"/>‰ of the samples.</summary>
    public CorpusBuilder(IReadOnlyList<ISampleImporter> importers, int heldOutPerMille = HeldOutSplit.DefaultPerMille)
    {
        ArgumentNullException.ThrowIfNull(importers);
        if (importers.Count == 0) throw new ArgumentException("at least one importer is needed", nameof(importers));
        if (importers.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() != importers.Count)
            throw new ArgumentException("importer names must differ (they prefix the keys)", nameof(importers));
        ArgumentOutOfRangeException.ThrowIfNegative(heldOutPerMille);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heldOutPerMille, 1000);
        Importers = importers;
        HeldOutPerMille = heldOutPerMille;
    }

    /// <summary>
    /// The default corpus from the installed Debian packages: Open Clip Art, Tux Paint stamps, emoji and
    /// Fashion-MNIST train (captions seeded with <paramref name="seed"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">A package file is missing; the message names the package.</exception>
    /// <exception cref="DirectoryNotFoundException">A package folder is missing; the message names the package.</exception>
    public static CorpusBuilder CreateDefault(ulong seed = 0) => new(
    [
        new OpenClipartImporter(),
        new TuxpaintImporter(),
        new EmojiImporter(),
        new FashionMnistImporter([FashionMnistSplit.Train], seed),
    ]);

    /// <summary>The mixed sources.</summary>
    public IReadOnlyList<ISampleImporter> Importers { get; }

    /// <summary>Held-out share in per mille.</summary>
    public int HeldOutPerMille { get; }

    /// <summary>Items found in all sources (imported + skipped), when every source knows its count.</summary>
    public long? ExpectedCount => Importers.All(i => i.ExpectedCount.HasValue) ? Importers.Sum(i => i.ExpectedCount!.Value) : null;

    /// <summary>Per-source reports of the last <see cref="Read"/> (complete once it has been read to the end).</summary>
    public IReadOnlyList<ImportReport> Reports => _reports.ToList();

    /// <summary>Streams the mixed corpus once, each sample tagged with its split.</summary>
    public IEnumerable<CorpusSample> Read(CancellationToken cancellation = default)
    {
        _reports.Clear();
        int n = Importers.Count;
        var counters = Importers.Select(_ => ImportReport.NewCounter()).ToArray();
        var clocks = Importers.Select(_ => new Stopwatch()).ToArray();
        var share = Importers.Select(i => (double)Math.Max(1, i.ExpectedCount ?? 1)).ToArray();
        var read = new long[n];
        var streams = new IEnumerator<RawSample>?[n];
        try
        {
            for (int i = 0; i < n; i++) streams[i] = Importers[i].Read(counters[i], cancellation).GetEnumerator();
            while (true)
            {
                int next = -1;
                for (int i = 0; i < n; i++)
                    if (streams[i] is not null && (next < 0 || (read[i] + 0.5) / share[i] < (read[next] + 0.5) / share[next])) next = i;
                if (next < 0) break;

                clocks[next].Start();
                bool more = streams[next]!.MoveNext();
                clocks[next].Stop();
                if (!more)
                {
                    streams[next]!.Dispose();
                    streams[next] = null;
                    continue;
                }
                read[next]++;
                var sample = streams[next]!.Current;
                yield return new CorpusSample(sample, HeldOutSplit.Of(sample.Key, HeldOutPerMille), Importers[next].Name);
            }
        }
        finally
        {
            foreach (var stream in streams) stream?.Dispose();
            _reports.Clear();
            for (int i = 0; i < n; i++) _reports.Add(ImportReport.From(Importers[i].Name, counters[i], clocks[i].Elapsed));
        }
    }

    /// <summary>The training samples (reads all sources; see <see cref="Read"/>).</summary>
    public IEnumerable<RawSample> Train(CancellationToken cancellation = default) =>
        Read(cancellation).Where(s => s.Split == CorpusSplit.Train).Select(s => s.Sample);

    /// <summary>The held-out samples (reads all sources; see <see cref="Read"/>).</summary>
    public IEnumerable<RawSample> HeldOut(CancellationToken cancellation = default) =>
        Read(cancellation).Where(s => s.Split == CorpusSplit.HeldOut).Select(s => s.Sample);
}
