namespace ClipLab.Interop.Safetensors;

/// <summary>A tensor to write: its name, element type, shape and little-endian, row-major bytes.</summary>
/// <param name="Name">Tensor name (a state-dict key).</param>
/// <param name="DType">Element type of <paramref name="Data"/>.</param>
/// <param name="Shape">Dimensions; empty for a scalar.</param>
/// <param name="Data">The values, element size × element count bytes.</param>
public sealed record SafetensorsTensor(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, ReadOnlyMemory<byte> Data);
