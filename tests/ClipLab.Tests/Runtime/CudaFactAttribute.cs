using ClipLab.Runtime;
using Xunit;

namespace ClipLab.Tests.Runtime;

/// <summary>
/// A fact that needs a CUDA GPU: skipped, with the reason, where this test build cannot open one (the default test build
/// carries the CPU libtorch, so the reason says so; a GPU build on a GPU machine runs the test).
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (UnavailableReason is { } reason) Skip = reason;
    }

    private static readonly Lazy<string?> Reason = new(() =>
    {
        try
        {
            ComputeDevice.Open(ComputeDevice.Cuda);
            return null;
        }
        catch (DeviceUnavailableException ex)
        {
            return "no CUDA device here: " + ex.Message;
        }
    });

    /// <summary>Why CUDA cannot be used here, or null when it can.</summary>
    public static string? UnavailableReason => Reason.Value;
}
