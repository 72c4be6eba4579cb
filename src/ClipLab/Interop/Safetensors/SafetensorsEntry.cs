namespace ClipLab.Interop.Safetensors;

/// <summary>One tensor of a safetensors header: its name, element type, shape and byte range in the data buffer.</summary>
/// <param name="Name">Tensor name (a state-dict key).</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions, row-major; empty for a scalar.</param>
/// <param name="Begin">Offset of the first byte, relative to the start of the data buffer.</param>
/// <param name="End">Offset one past the last byte.</param>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements (1 for a scalar, 0 when a dimension is 0).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, d) => checked(product * d));

    /// <summary>Byte length of the tensor's data.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as the format writes it, e.g. <c>[768, 3, 32, 32]</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape like <c>[3, 4]</c> (<c>[]</c> for a scalar).</summary>
    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
