using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>Two-layer MLP <c>Linear → GELU → Linear</c> over the last dimension (both layers with biases), as used by MLP-Mixer.</summary>
public sealed class MixerMlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly Linear fc1;
    private readonly Linear fc2;
#pragma warning restore IDE1006

    /// <summary>Creates the MLP.</summary>
    /// <param name="features">Input and output size.</param>
    /// <param name="hidden">Hidden size.</param>
    public MixerMlp(int features, int hidden) : base(nameof(MixerMlp))
    {
        fc1 = nn.Linear(features, hidden);
        fc2 = nn.Linear(hidden, features);
        RegisterComponents();
    }

    /// <summary>Initialises like timm's Mixer: Xavier-uniform weights, zero biases.</summary>
    public void InitializeParameters()
    {
        using var _ = no_grad();
        foreach (var layer in new[] { fc1, fc2 })
        {
            nn.init.xavier_uniform_(layer.weight!);
            layer.bias!.zero_();
        }
    }

    /// <summary>Applies the MLP to the last dimension of <paramref name="x"/>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var hidden = fc1.call(x);
        using var activated = nn.functional.gelu(hidden);
        return fc2.call(activated);
    }
}
