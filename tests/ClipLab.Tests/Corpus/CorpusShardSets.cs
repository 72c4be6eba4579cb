using ClipLab.Corpus;


namespace ClipLab.Tests.Corpus;

/// <summary>
/// Stands in for the shard writer in tests: consumes a corpus stream the way <c>cliplab data corpus</c> will
/// (one pass, samples routed to a train and a held-out shard set) and records keys, bytes and per-source counts.
/// </summary>
internal sealed record CorpusShardSets(List<string> TrainKeys, List<string> HeldOutKeys, long ImageBytes, Dictionary<string, int> PerSource)
{
    public static CorpusShardSets Consume(CorpusBuilder corpus, int? limit = null)
    {
        var sets = new CorpusShardSets([], [], 0, []);
        long bytes = 0;
        var stream = corpus.Read();
        foreach (var sample in limit is int n ? stream.Take(n) : stream)
        {
            (sample.Split == CorpusSplit.Train ? sets.TrainKeys : sets.HeldOutKeys).Add(sample.Sample.Key);
            bytes += sample.Sample.Image.Length;
            sets.PerSource[sample.Source] = sets.PerSource.GetValueOrDefault(sample.Source) + 1;
        }
        return sets with { ImageBytes = bytes };
    }
}
