using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// Averages parameter gradients over the ranks before the optimizer step, in flat buckets (one collective per bucket
/// instead of one per tensor, as DDP does). Every rank must hold gradients for the same parameters in the same order;
/// the first call checks that the ranks agree on the layout.
/// </summary>
public sealed class GradientAllReduce
{
    /// <summary>Elements per bucket: 8 M floats (32 MB), DDP's order of magnitude.</summary>
    public const long DefaultBucketElements = 8L << 20;

    private readonly ICommunicator _communicator;
    private readonly long _bucketElements;
    private bool _layoutChecked;

    /// <summary>An all-reduce over <paramref name="communicator"/>'s ranks.</summary>
    public GradientAllReduce(ICommunicator communicator, long bucketElements = DefaultBucketElements)
    {
        _communicator = communicator ?? throw new ArgumentNullException(nameof(communicator));
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketElements, 1);
        _bucketElements = bucketElements;
    }

    /// <summary>Seconds spent in collectives so far (for the share of communication in a step).</summary>
    public double CommunicationSeconds { get; private set; }

    /// <summary>Replaces every gradient of <paramref name="parameters"/> by its mean over the ranks (a no-op on one rank).</summary>
    /// <exception cref="MpiException">The ranks hold different gradient layouts.</exception>
    public void Average(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (_communicator.Size == 1) return;
        using var scope = torch.NewDisposeScope();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (!_layoutChecked) CheckLayout(grads);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var bucket in Buckets(grads))
        {
            // Flatten in one type (the gradients' own unless they mix), reduce, and write the mean back into each gradient.
            var flat = cat(bucket.Select(g => g.flatten().to(ScalarType.Float32)).ToList(), 0);
            _communicator.AllReduceSum(flat);
            using (Scalar ranks = _communicator.Size.ToScalar()) flat.div_(ranks); // held until after the call (see Models.KeptScalars)
            long offset = 0;
            foreach (var grad in bucket)
            {
                long count = grad.numel();
                grad.copy_(flat.narrow(0, offset, count).view(grad.shape));
                offset += count;
            }
        }
        CommunicationSeconds += watch.Elapsed.TotalSeconds;
    }

    private IEnumerable<List<Tensor>> Buckets(List<Tensor> grads)
    {
        var bucket = new List<Tensor>();
        long size = 0;
        foreach (var grad in grads)
        {
            if (bucket.Count > 0 && size + grad.numel() > _bucketElements)
            {
                yield return bucket;
                bucket = [];
                size = 0;
            }
            bucket.Add(grad);
            size += grad.numel();
        }
        if (bucket.Count > 0) yield return bucket;
    }

    private void CheckLayout(List<Tensor> grads)
    {
        // Every rank sends (count, elements); if all agree, the sums are Size times one rank's.
        using var layout = torch.tensor(new long[] { grads.Count, grads.Sum(g => g.numel()) });
        using var summed = layout.clone();
        _communicator.AllReduceSum(summed);
        if (summed[0].ToInt64() != layout[0].ToInt64() * _communicator.Size || summed[1].ToInt64() != layout[1].ToInt64() * _communicator.Size)
            throw new MpiException($"rank {_communicator.Rank} holds {grads.Count} gradients ({layout[1].ToInt64():N0} values) but the ranks disagree; " +
                "every rank must train the same model with the same config.");
        _layoutChecked = true;
    }
}
