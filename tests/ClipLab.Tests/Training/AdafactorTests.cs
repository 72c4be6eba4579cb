using ClipLab.Configuration;
using ClipLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training;

/// <summary>
/// Adafactor against a direct computation of its update rule (Shazeer &amp; Stern's factored estimate
/// V̂ = R ⊗ C / mean R, written here in doubles), and its state in save/load and in a resumed run.
/// </summary>
public class AdafactorTests
{
    // loss = Σ p·target + ½ Σ p² ⇒ gradient = target + p.
    private static void Backward(Parameter p, float[] target)
    {
        using var scope = torch.NewDisposeScope();
        using var t = torch.tensor(target).reshape(p.shape);
        ((p * t).sum() + (p * p).sum() * 0.5).backward();
    }

    [Fact]
    public void FactoredAndUnfactoredStepsMatchHandComputation()
    {
        // Tall and wide matrices (their largest dimension comes first and last) and a vector; β2 capped at 0.5 so the
        // cap is reached at step 3 (1 − 3^−0.8 ≈ 0.585).
        float[] tallInit = [0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f], wideInit = [1.0f, -0.5f, 0.3f, 2.0f, -1.2f, 0.8f, 0.1f, -2.0f], biasInit = [0.2f, -0.4f, 1.0f];
        float[] tallTarget = [0.3f, 0.1f, -0.6f, 0.9f, 0.2f, -0.4f], wideTarget = [-0.2f, 0.7f, 0.5f, -0.1f, 0.4f, -0.3f, 0.6f, 0.2f], biasTarget = [0.5f, 0.5f, -1.0f];
        using var tall = new Parameter(torch.tensor(tallInit).reshape(3, 2));
        using var wide = new Parameter(torch.tensor(wideInit).reshape(2, 4));
        using var bias = new Parameter(torch.tensor(biasInit));
        var settings = new AdafactorConfig { Momentum = 0.9, MomentumDtype = "fp32", Beta2Cap = 0.5, DecayRate = 0.8, Epsilon = 1e-30, MinDimSizeToFactor = 2 };
        var decay = new DecoupledWeightDecay(0.1, DecoupledWeightDecay.BigVision, PeakLearningRate: 0.02);
        using var optimizer = new Adafactor([(tall, true), (wide, true), (bias, false)], settings, decay);
        Assert.True(optimizer.IsFactored(0));
        Assert.True(optimizer.IsFactored(1));
        Assert.False(optimizer.IsFactored(2));

        var tallRef = new MatrixReference(3, 2, tallInit, tallTarget);
        var wideRef = new MatrixReference(2, 4, wideInit, wideTarget);
        double[] b = biasInit.Select(x => (double)x).ToArray(), bv = new double[3], bm = new double[3];
        double[] learningRates = [0.01, 0.02, 0.015, 0.005];
        for (int step = 1; step <= learningRates.Length; step++)
        {
            double lr = learningRates[step - 1];
            double beta2 = Math.Min(0.5, 1 - Math.Pow(step, -0.8));
            double shrink = lr / 0.02 * 0.1;
            tallRef.Step(beta2, 0.9, lr, shrink);
            wideRef.Step(beta2, 0.9, lr, shrink);
            for (int i = 0; i < 3; i++)
            {
                double g = biasTarget[i] + b[i];
                bv[i] = beta2 * bv[i] + (1 - beta2) * (g * g + 1e-30);
                bm[i] = 0.9 * bm[i] + 0.1 * g / Math.Sqrt(bv[i]);
                b[i] -= lr * bm[i]; // not decayed
            }
            Backward(tall, tallTarget);
            Backward(wide, wideTarget);
            Backward(bias, biasTarget);
            optimizer.Step(lr);
            optimizer.ZeroGrad();
        }
        AssertClose(tallRef.Values, tall);
        AssertClose(wideRef.Values, wide);
        AssertClose(b, bias);
        Assert.Equal(4, optimizer.StepCount);
    }

    [Fact]
    public void SmallMatricesStayUnfactoredAndFollowTheElementwiseRule()
    {
        float[] init = [0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f], target = [0.3f, 0.1f, -0.6f, 0.9f, 0.2f, -0.4f];
        using var w = new Parameter(torch.tensor(init).reshape(2, 3));
        // big_vision's default threshold: a 2×3 matrix is below 32, so its second moment is kept in full.
        var settings = new AdafactorConfig { Momentum = 0, MomentumDtype = "fp32" };
        using var optimizer = new Adafactor([(w, true)], settings, DecoupledWeightDecay.ScaledByLearningRate(0.5));
        Assert.False(optimizer.IsFactored(0));
        double[] p = init.Select(x => (double)x).ToArray(), v = new double[6];
        for (int step = 1; step <= 3; step++)
        {
            double beta2 = Math.Min(0.999, 1 - Math.Pow(step, -0.8));
            for (int i = 0; i < 6; i++)
            {
                double g = target[i] + p[i];
                v[i] = beta2 * v[i] + (1 - beta2) * (g * g + 1e-30);
                p[i] = p[i] * (1 - 0.1 * 0.5) - 0.1 * g / Math.Sqrt(v[i]); // no momentum: the normalised gradient itself
            }
            Backward(w, target);
            optimizer.Step(0.1);
            optimizer.ZeroGrad();
        }
        AssertClose(p, w);
    }

    [Fact]
    public void FactoredDimsAreTheTwoLargestWhenBothReachTheThreshold()
    {
        Assert.Equal((0, 1), Adafactor.FactoredDims([512, 384], 32));
        Assert.Equal((1, 0), Adafactor.FactoredDims([384, 512], 32));
        Assert.Equal((1, 0), Adafactor.FactoredDims([64, 64], 32)); // a tie: the later dimension counts as the larger
        Assert.Equal((1, 0), Adafactor.FactoredDims([256, 768, 3, 3], 32)); // conv kernels: output and input channels
        Assert.Null(Adafactor.FactoredDims([768, 3, 16, 16], 32)); // patch embedding: second largest 16 < 32
        Assert.Null(Adafactor.FactoredDims([1024], 1));
        using var p = new Parameter(torch.zeros(2, 3));
        using var optimizer = new Adafactor([(p, true)], new AdafactorConfig(), DecoupledWeightDecay.ScaledByLearningRate(0));
        Assert.Equal(0, optimizer.Beta2At(1));
        Assert.Equal(1 - Math.Pow(2, -0.8), optimizer.Beta2At(2), 12);
        Assert.Equal(0.999, optimizer.Beta2At(1_000_000));
    }

    [Fact]
    public void Bf16MomentumIsRoundedOnlyWhereItIsStored()
    {
        float[] init = [0.5f, -1.0f, 2.0f, 0.25f], target = [0.3f, 0.1f, -0.6f, 0.9f];
        double[] expected = init.Select(x => (double)x).ToArray(), v = new double[4], stored = new double[4];
        for (int step = 1; step <= 3; step++)
        {
            double beta2 = 1 - Math.Pow(step, -0.8);
            for (int i = 0; i < 4; i++)
            {
                double g = target[i] + expected[i];
                v[i] = beta2 * v[i] + (1 - beta2) * (g * g + 1e-30);
                // optax.ema with a bf16 accumulator: β1·m is formed in bf16, the sum in fp32 drives the step, the stored copy is rounded.
                double full = 0.1 * g / Math.Sqrt(v[i]) + Bf16(0.9 * stored[i]);
                stored[i] = Bf16(full);
                expected[i] -= 1.0 * full;
            }
        }
        float[] Run(string dtype)
        {
            using var p = new Parameter(torch.tensor(init));
            using var optimizer = new Adafactor([(p, false)], new AdafactorConfig { MomentumDtype = dtype }, DecoupledWeightDecay.ScaledByLearningRate(0));
            for (int step = 1; step <= 3; step++)
            {
                Backward(p, target);
                optimizer.Step(1.0);
                optimizer.ZeroGrad();
            }
            return p.data<float>().ToArray();
        }
        float[] bf16 = Run("bf16"), fp32 = Run("fp32");
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], bf16[i], 5);
        // The rounding matters at this tolerance: fp32 momentum lands elsewhere.
        Assert.True(Enumerable.Range(0, 4).Any(i => Math.Abs(fp32[i] - expected[i]) > 1e-5), "fp32 momentum should differ from the bf16 reference");
    }

    [Fact]
    public void StateSurvivesSaveAndLoadAndAnotherOptimizersStateIsNamed()
    {
        float[] init = Enumerable.Range(0, 12).Select(i => (i - 5) * 0.3f).ToArray(), target = Enumerable.Range(0, 12).Select(i => (i % 5) * 0.2f - 0.4f).ToArray();
        var settings = new AdafactorConfig { MinDimSizeToFactor = 3 };
        using var p = new Parameter(torch.tensor(init).reshape(3, 4));
        using var optimizer = new Adafactor([(p, true)], settings, DecoupledWeightDecay.ScaledByLearningRate(0.1));
        for (int step = 0; step < 2; step++) { Backward(p, target); optimizer.Step(0.05); optimizer.ZeroGrad(); }
        using var stream = new MemoryStream();
        optimizer.Save(new BinaryWriter(stream));

        stream.Position = 0;
        using var q = new Parameter(p.detach().clone());
        using var restored = new Adafactor([(q, true)], settings, DecoupledWeightDecay.ScaledByLearningRate(0.1));
        restored.Load(new BinaryReader(stream));
        Assert.Equal(2, restored.StepCount);
        for (int step = 0; step < 3; step++)
        {
            Backward(p, target); optimizer.Step(0.05); optimizer.ZeroGrad();
            Backward(q, target); restored.Step(0.05); restored.ZeroGrad();
        }
        Assert.Equal(p.data<float>().ToArray(), q.data<float>().ToArray());

        // AdamW's state is refused by Adafactor, and the other way round, each naming what it found.
        stream.Position = 0;
        using var adamW = new ClipLab.Training.AdamW([(q, true)], 0.9, 0.999, 1e-8, 0.1);
        var ex = Assert.Throws<InvalidDataException>(() => adamW.Load(new BinaryReader(stream)));
        Assert.Contains("Adafactor state", ex.Message);
        using var adamWState = new MemoryStream();
        adamW.Save(new BinaryWriter(adamWState));
        adamWState.Position = 0;
        ex = Assert.Throws<InvalidDataException>(() => restored.Load(new BinaryReader(adamWState)));
        Assert.Contains("AdamW state", ex.Message);
        // Other settings lay the state out otherwise (here: unfactored), which is named too.
        stream.Position = 0;
        using var unfactored = new Adafactor([(q, true)], settings with { MinDimSizeToFactor = 32 }, DecoupledWeightDecay.ScaledByLearningRate(0.1));
        ex = Assert.Throws<InvalidDataException>(() => unfactored.Load(new BinaryReader(stream)));
        Assert.Contains("training.adafactor", ex.Message);
    }

    [Fact]
    public void AdafactorRunLearnsAndAResumedRunEqualsTheUninterruptedOne()
    {
        var tiny = TinyRuns.Config(samples: 64 * 24, checkpointEvery: 10);
        var config = tiny with
        {
            Training = tiny.Training with
            {
                Optimizer = Optimizers.Adafactor, WeightDecay = 1e-4, WeightDecayConvention = DecoupledWeightDecay.BigVision,
            },
        };
        string straight = TinyRuns.TempDirectory();
        var losses = new List<double>();
        TrainingSummary full;
        float[] fullWeights;
        using (var trainer = new Trainer(config, straight))
        {
            full = trainer.Run(p => losses.Add(p.Loss));
            fullWeights = TinyRuns.Weights(trainer);
        }
        Assert.True(losses.Skip(19).Average() < losses.Take(3).Average() - 0.1,
            $"loss did not fall: first {losses.Take(3).Average():F3}, last {losses.Skip(19).Average():F3}");
        // The run records the optimizer with its settings filled in.
        var recorded = ConfigJson.Load<RunConfig>(Path.Combine(straight, Checkpoint.ConfigFile));
        Assert.Equal("adafactor", recorded.Training.Optimizer);
        Assert.Equal(new AdafactorConfig(), recorded.Training.Adafactor);
        Assert.Equal("big_vision", recorded.Training.WeightDecayConvention);

        string interrupted = TinyRuns.TempDirectory();
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, interrupted))
        {
            var partial = trainer.Run(p => { if (p.Step == 13) cts.Cancel(); }, cts.Token);
            Assert.Equal(13, partial.Steps);
        }
        using (var trainer = new Trainer(config, interrupted, resume: true))
        {
            Assert.Equal(13, trainer.Step);
            var resumed = trainer.Run();
            Assert.Equal(full.FinalLoss, resumed.FinalLoss);
            Assert.Equal(fullWeights, TinyRuns.Weights(trainer));
        }
    }

    /// <summary>Round to the nearest bfloat16 (ties to even), as a cast from fp32 does.</summary>
    private static double Bf16(double value)
    {
        uint bits = BitConverter.SingleToUInt32Bits((float)value);
        uint rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000;
        return BitConverter.UInt32BitsToSingle(rounded);
    }

    private static void AssertClose(double[] expected, Parameter actual)
    {
        float[] got = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 5);
    }

    /// <summary>
    /// Adafactor for one r×c matrix written as Shazeer &amp; Stern's Algorithm 4 with means: running row means R and column
    /// means C of g² + ε, V̂ = R Cᵀ / mean(R), update g/√V̂, then momentum and decoupled decay.
    /// </summary>
    private sealed class MatrixReference(int rows, int columns, float[] init, float[] target)
    {
        private readonly double[] _r = new double[rows], _c = new double[columns], _m = new double[rows * columns];

        public double[] Values { get; } = init.Select(x => (double)x).ToArray();

        public void Step(double beta2, double beta1, double lr, double shrink)
        {
            var g = new double[rows * columns];
            for (int k = 0; k < g.Length; k++) g[k] = target[k] + Values[k];
            for (int i = 0; i < rows; i++)
                _r[i] = beta2 * _r[i] + (1 - beta2) * Enumerable.Range(0, columns).Average(j => g[i * columns + j] * g[i * columns + j] + 1e-30);
            for (int j = 0; j < columns; j++)
                _c[j] = beta2 * _c[j] + (1 - beta2) * Enumerable.Range(0, rows).Average(i => g[i * columns + j] * g[i * columns + j] + 1e-30);
            double meanR = _r.Average();
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                {
                    int k = i * columns + j;
                    double vHat = _r[i] * _c[j] / meanR;
                    _m[k] = beta1 * _m[k] + (1 - beta1) * g[k] / Math.Sqrt(vHat);
                    Values[k] = Values[k] * (1 - shrink) - lr * _m[k];
                }
        }
    }
}
