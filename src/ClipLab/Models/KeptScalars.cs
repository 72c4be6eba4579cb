using TorchSharp;

namespace ClipLab.Models;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that live for the whole process, for the hot paths of a training step.
/// </summary>
/// <remarks>
/// An implicit conversion (<c>a + b</c> passes <c>alpha = 1</c>; <c>t.mul_(0.5)</c>; <c>clamp_(min, max)</c>) makes a
/// Scalar that nothing references once its native handle is taken: the .NET finalizer may free it while libtorch
/// still reads it, and libtorch then aborts the process ("Expected false to be true" in c10::Scalar::toFloat),
/// the abort seen once in a long streaming run (TorchSharp PR 1496 fixes the same class of bug). A Scalar held by
/// a static field is never finalized; a per-call value is created with <c>using</c>, which keeps it alive until
/// after the call.
/// </remarks>
public static class KeptScalars
{
    /// <summary>1, the <c>alpha</c> of a plain tensor sum.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>0, the start of an <c>arange</c> (whose short overloads make implicit 0 and 1 Scalars).</summary>
    public static Scalar Zero { get; } = 0.ToScalar();
}
