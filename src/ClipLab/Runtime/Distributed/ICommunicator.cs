using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over the ranks of one job: the only way the trainer and the
/// losses talk to other processes. <see cref="SingleProcessCommunicator"/> is the one-rank case, <see cref="MpiCommunicator"/>
/// binds Open MPI; a multi-GPU implementation (NCCL) would slot in beside them.
/// </summary>
/// <remarks>Tensors may live on any device and be of float32, float64 or int64; implementations copy through host memory
/// where their transport needs it. Every rank must call the same operations in the same order with the same shapes.</remarks>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; Size.</summary>
    int Rank { get; }

    /// <summary>The number of ranks in the job.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="tensor"/>'s values, on every rank, by their element-wise sum over the ranks.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Concatenates every rank's <paramref name="local"/> (same shape on all ranks) along dimension 0, in rank order.</summary>
    /// <returns>A new tensor of shape [Size·local.shape[0], …] on <paramref name="local"/>'s device.</returns>
    Tensor AllGather(Tensor local);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with rank <paramref name="root"/>'s values.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
