namespace ClipLab.Interop.StateDictNames;

/// <summary>How a tensor's layout differs between ClipLab and the other library; each transform is its own inverse.</summary>
public enum TensorTransform
{
    /// <summary>Same layout.</summary>
    None,

    /// <summary>A matrix stored transposed, e.g. a Linear weight [out, in] against a projection matrix [in, out].</summary>
    Transpose,
}
