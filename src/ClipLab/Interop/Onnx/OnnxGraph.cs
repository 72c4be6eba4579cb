using System.Runtime.InteropServices;
using ClipLab.Interop.Onnx.Schema;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// One ONNX graph under construction: typed inputs and outputs, float initializers copied from TorchSharp tensors,
/// small int64 constants, and nodes whose outputs get fresh names. Exporters of the model families append to it in
/// topological order (the order they run), which is the order ONNX requires.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>ONNX operator set the exporters write against: 17 has LayerNormalization and is read by every current runtime.</summary>
    public const int Opset = 17;

    /// <summary>IR version matching <see cref="Opset"/> (IR 8 came with opset 17).</summary>
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nextValue;

    /// <summary>Starts an empty graph called <paramref name="name"/>.</summary>
    public OnnxGraph(string name) => _graph = new GraphProto { Name = name };

    /// <summary>Declares a graph input; a string dimension is symbolic (dynamic), a long one fixed.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as the graph output called <paramref name="name"/>.</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Claim(name);
        _graph.Node.Add(new NodeProto { OpType = "Identity", Input = { value }, Output = { name }, Name = name });
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Adds a float32 initializer holding a copy of <paramref name="tensor"/> (any device, any float dtype).</summary>
    public string Weight(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var cpu = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        var values = cpu.data<float>().ToArray();
        return Initializer(name, TensorProto.Types.DataType.Float, cpu.shape, MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Adds an int64 initializer (shapes, axes, indices) of the given values and shape (1-D when null).</summary>
    public string Int64s(long[] values, long[]? shape = null) =>
        Initializer(FreshName("const"), TensorProto.Types.DataType.Int64, shape ?? [values.Length], MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>Adds a float32 initializer of the given values and shape (a scalar when the shape is empty).</summary>
    public string Floats(float[] values, long[] shape) =>
        Initializer(FreshName("const"), TensorProto.Types.DataType.Float, shape, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>Adds a float32 scalar constant.</summary>
    public string Scalar(float value) => Floats([value], []);

    /// <summary>Appends a node of <paramref name="op"/> with one output, which is returned.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeWithOutputs(op, inputs, 1, attributes)[0];

    /// <summary>Appends a node of <paramref name="op"/> with <paramref name="outputs"/> outputs, which are returned.</summary>
    public string[] NodeWithOutputs(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var names = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = FreshName(op);
            Claim(names[i]);
        }

        var node = new NodeProto { OpType = op, Name = names[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    /// <summary>Wraps the graph into a model that declares <see cref="Opset"/> and carries <paramref name="metadata"/>.</summary>
    public ModelProto ToModel(string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ClipLab",
            ProducerVersion = producerVersion,
            Graph = _graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private string Initializer(string name, TensorProto.Types.DataType type, long[] shape, ReadOnlySpan<byte> bytes)
    {
        Claim(name);
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(shape);
        _graph.Initializer.Add(proto);
        return name;
    }

    private string FreshName(string stem)
    {
        string name;
        do
        {
            name = $"{stem}_{_nextValue++}";
        }
        while (_names.Contains(name));
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"ONNX value name '{name}' is used twice in graph '{_graph.Name}'.");
        }
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"dimension {dim} must be a size or a symbol", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
