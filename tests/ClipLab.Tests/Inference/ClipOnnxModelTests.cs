using System.Reflection;
using System.Runtime.Loader;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Imaging;
using ClipLab.Inference;
using ClipLab.Interop.Onnx;
using ClipLab.Tests.Interop;
using ClipLab.Text;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Inference;

public sealed class ClipOnnxModelTests
{
    /// <summary>Image files through the inference API give the embeddings evaluation computes for the same files with TorchSharp.</summary>
    [Theory]
    [InlineData("vit")]
    [InlineData("vit-gray")]
    public void ImageFilesEmbedAsEvaluationDoes(string family)
    {
        using var model = OnnxTestModels.Clip(family);
        using var onnx = ClipOnnxModel.Load(OnnxTestModels.Export(model), threads: 1);
        onnx.BatchSize = 2; // more files than one batch
        var files = ImageFiles.InFolder(OnnxTestModels.ImageFolder());
        Assert.Equal(5, files.Count);

        var embedded = onnx.EmbedImageFiles(files);

        var vision = model.Config.Vision;
        using var scope = torch.NewDisposeScope();
        var pixels = torch.cat(EvaluationImages.Batches(files.Select(f => EvaluationImage.FromFile(f)).ToList(), vision.ImageSize, vision.Channels).ToList(), 0);
        var reference = EmbeddingExtractor.Images(model, pixels, batchSize: 64);
        Assert.Equal(files.Count, embedded.Count);
        Assert.True(OnnxVerification.MaxAbsDifference(reference, embedded) <= OnnxVerification.Tolerance);
    }

    [Fact]
    public void TextsEmbedAsTheTokenizerAndTextTowerDo()
    {
        using var model = OnnxTestModels.Clip("vit");
        using var onnx = ClipOnnxModel.Load(OnnxTestModels.Export(model), threads: 1);
        string[] texts = ["a photo of a sneaker.", "a very long caption that runs past the end of the short context window", ""];

        var embedded = onnx.EmbedTexts(texts);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var reference = model.EncodeText(OnnxTestModels.Tokenizer.Encode(texts));
        Assert.True(OnnxVerification.MaxAbsDifference(reference, embedded) <= OnnxVerification.Tolerance);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(1.0, embedded.Similarity(i, embedded.Row(i)), 4);
    }

    /// <summary>Zero-shot labels from the inference API equal those of evaluation's classifier on the TorchSharp model.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData(-10.0)] // SigLIP: independent sigmoids
    public void ClassifiesLikeEvaluation(double? logitBias)
    {
        using var model = OnnxTestModels.Clip("vit", logitBias);
        using var onnx = ClipOnnxModel.Load(OnnxTestModels.Export(model), threads: 1);
        var prompts = new PromptTemplateSet("colours", ["red", "green", "blue", "grey"], ["a photo of a {}.", "a {} thing."]);
        var files = ImageFiles.InFolder(OnnxTestModels.ImageFolder());

        var classifier = ZeroShotClassifier.Build(onnx, prompts);
        var predictions = classifier.Classify(onnx.EmbedImageFiles(files));

        using var scope = torch.NewDisposeScope();
        var pixels = torch.cat(EvaluationImages.Batches(files.Select(f => EvaluationImage.FromFile(f)).ToList(), 16, 3).ToList(), 0);
        var logits = EmbeddingExtractor.Images(model, pixels, 64).matmul(ZeroShotClassification.BuildClassifier(model, OnnxTestModels.Tokenizer, prompts).t());
        var expected = logits.argmax(1).data<long>().ToArray();
        Assert.Equal(expected.Select(i => (int)i), predictions.Select(p => p.LabelIndex));
        Assert.All(predictions, p => Assert.Equal(prompts.ClassNames[p.LabelIndex], p.Label));
        Assert.All(predictions, p => Assert.Equal(p.Probabilities.Max(), p.Probabilities[p.LabelIndex]));
        Assert.All(predictions, p => Assert.All(p.Probabilities, q => Assert.InRange(q, 0f, 1f)));
        if (logitBias is null) Assert.All(predictions, p => Assert.Equal(1.0, p.Probabilities.Sum(), 4)); // softmax; sigmoids need not sum to 1
    }

    [Fact]
    public void SearchRanksEveryImageOfTheFolderBySimilarity()
    {
        using var model = OnnxTestModels.Clip("vit");
        using var onnx = ClipOnnxModel.Load(OnnxTestModels.Export(model), threads: 1);
        string folder = OnnxTestModels.ImageFolder();

        var search = ImageSearch.IndexFolder(onnx, folder);
        var matches = search.Query(onnx, "a red square", top: 3);

        Assert.Equal(5, search.Paths.Count); // notes.txt is not an image; nested/ is searched
        Assert.Contains(search.Paths, p => p.Contains("nested"));
        Assert.Equal(3, matches.Count);
        var query = onnx.EmbedTexts(["a red square"]).Row(0).ToArray();
        var all = search.Paths.Select((p, i) => (Path: p, Score: search.Embeddings.Similarity(i, query))).OrderByDescending(x => x.Score).ToList();
        Assert.Equal(all.Take(3).Select(x => x.Path), matches.Select(m => m.Path));
        Assert.True(matches[0].Similarity >= matches[1].Similarity && matches[1].Similarity >= matches[2].Similarity);

        var empty = Path.Combine(TinyRuns.TempDirectory(), "empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("has no images", Assert.Throws<InvalidDataException>(() => ImageSearch.IndexFolder(onnx, empty)).Message);
        File.WriteAllBytes(Path.Combine(empty, "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        Assert.Contains("broken.png", Assert.Throws<InvalidDataException>(() => ImageSearch.IndexFolder(onnx, empty)).Message);
    }

    /// <summary>
    /// The inference types run without TorchSharp: ClipLab is loaded into a separate load context that records every
    /// assembly it asks for, an exported model embeds images and texts there, and TorchSharp is never requested.
    /// </summary>
    [Fact]
    public void InferenceNeverLoadsTorchSharp()
    {
        using var model = OnnxTestModels.Clip("vit");
        string exported = OnnxTestModels.Export(model);
        string images = OnnxTestModels.ImageFolder();
        var context = new RecordingLoadContext(AppContext.BaseDirectory);
        try
        {
            var library = context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "ClipLab.dll"));
            var modelType = library.GetType("ClipLab.Inference.ClipOnnxModel")!;
            var onnx = modelType.GetMethod("Load")!.Invoke(null, [exported, 1])!;
            var search = library.GetType("ClipLab.Inference.ImageSearch")!.GetMethod("IndexFolder")!.Invoke(null, [onnx, images])!;
            var matches = (System.Collections.ICollection)search.GetType().GetMethod("Query")!.Invoke(search, [onnx, "a red square", 2])!;
            modelType.GetMethod("EmbedTexts")!.Invoke(onnx, [new List<string> { "a shirt" }]);
            ((IDisposable)onnx).Dispose();

            Assert.Equal(2, matches.Count);
            Assert.Contains("Microsoft.ML.OnnxRuntime", context.Requested); // the recording sees the dependencies inference uses
            Assert.DoesNotContain("TorchSharp", context.Requested);
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class RecordingLoadContext(string folder) : AssemblyLoadContext("inference-without-torch", isCollectible: true)
    {
        public HashSet<string> Requested { get; } = [];

        protected override Assembly? Load(AssemblyName name)
        {
            lock (Requested) Requested.Add(name.Name!);
            string path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string name)
        {
            foreach (var candidate in new[] { $"lib{name}.so", $"{name}.so", name })
            {
                string path = Path.Combine(folder, "runtimes", "linux-x64", "native", candidate);
                if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
            }

            return IntPtr.Zero;
        }
    }
}
