using ClipLab.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training;

public class AdamWTests
{
    [Fact]
    public void TwoStepsMatchHandComputation()
    {
        using var w = new TorchSharp.Modules.Parameter(torch.tensor(new[] { 1.0f, -2.0f }));
        using var b = new TorchSharp.Modules.Parameter(torch.tensor(new[] { 0.5f }));
        using var opt = new AdamW(new[] { (w, true), (b, false) }, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1);
        double[] wv = { 1.0, -2.0 }; double bv = 0.5;
        double[] m = new double[3], v = new double[3];
        const double lr = 0.01;
        for (int step = 1; step <= 2; step++)
        {
            // loss = sum(w^2) + 3 b  → grad w = 2w, grad b = 3
            var loss = w.pow(2).sum() + b.sum() * 3;
            loss.backward();
            double[] grads = { 2 * wv[0], 2 * wv[1], 3 };
            double[] values = { wv[0], wv[1], bv };
            for (int i = 0; i < 3; i++)
            {
                bool decay = i < 2;
                if (decay) values[i] *= 1 - lr * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * grads[i];
                v[i] = 0.99 * v[i] + 0.01 * grads[i] * grads[i];
                double mHat = m[i] / (1 - Math.Pow(0.9, step));
                double vHat = v[i] / (1 - Math.Pow(0.99, step));
                values[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
            wv[0] = values[0]; wv[1] = values[1]; bv = values[2];
            opt.Step(lr);
            opt.ZeroGrad();
        }
        var got = w.data<float>().ToArray();
        Assert.Equal(wv[0], got[0], 5);
        Assert.Equal(wv[1], got[1], 5);
        Assert.Equal(bv, b.data<float>()[0], 5);
        Assert.Equal(2, opt.StepCount);
    }

    [Fact]
    public void StateSurvivesSaveAndLoad()
    {
        using var p = new TorchSharp.Modules.Parameter(torch.tensor(new[] { 1.0f, 2.0f, 3.0f }));
        using var opt = new AdamW(new[] { (p, true) }, 0.9, 0.999, 1e-8, 0.01);
        p.pow(2).sum().backward();
        opt.Step(0.1);
        using var stream = new MemoryStream();
        opt.Save(new BinaryWriter(stream));
        stream.Position = 0;
        using var q = new TorchSharp.Modules.Parameter(torch.tensor(new[] { 1.0f, 2.0f, 3.0f }));
        using var restored = new AdamW(new[] { (q, true) }, 0.9, 0.999, 1e-8, 0.01);
        restored.Load(new BinaryReader(stream));
        Assert.Equal(1, restored.StepCount);
        // Same gradient and state → same update.
        using (torch.no_grad()) q.copy_(p.detach());
        p.grad!.zero_(); p.pow(2).sum().backward(); opt.Step(0.1);
        q.pow(2).sum().backward(); restored.Step(0.1);
        Assert.True(torch.allclose(p, q));
    }

    [Fact]
    public void LoadingStateOfAnotherModelFails()
    {
        using var p = new TorchSharp.Modules.Parameter(torch.ones(2));
        using var opt = new AdamW(new[] { (p, true) }, 0.9, 0.999, 1e-8, 0.01);
        using var stream = new MemoryStream();
        opt.Save(new BinaryWriter(stream));
        stream.Position = 0;
        using var a = new TorchSharp.Modules.Parameter(torch.ones(2));
        using var c = new TorchSharp.Modules.Parameter(torch.ones(2));
        using var other = new AdamW(new[] { (a, true), (c, true) }, 0.9, 0.999, 1e-8, 0.01);
        var ex = Assert.Throws<InvalidDataException>(() => other.Load(new BinaryReader(stream)));
        Assert.Contains("different model", ex.Message);
    }
}
