using System.Reflection;
using ClipLab.Models;
using ClipLab.Tests.Models;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Training;

/// <summary>
/// SLIP checkpoints written while the SimCLR head read the projected embedding (keys <c>image_mlp.linear1..3</c>) are
/// refused in one line; the same file with today's names loads, so the refusal is about the layout and nothing else.
/// </summary>
public class FormerSlipHeadCheckpointTests
{
    private static ClipModelConfig SlipModel => TinyModels.Clip() with { SimClrHead = new SimClrHeadConfig { HiddenDim = 16, OutputDim = 8 } };

    [Fact]
    public void CheckpointWithTheFormerHeadLayout_IsRefusedInOneLineNamingTheReason()
    {
        string dir = TinyRuns.TempDirectory();
        torch.manual_seed(1);
        using (var source = ModelRegistry.Create(SlipModel))
            WriteStateDict(source, Path.Combine(dir, Checkpoint.ModelFile), FormerName);

        using var target = ModelRegistry.Create(SlipModel);
        var ex = Assert.Throws<NotSupportedException>(() => Checkpoint.LoadInto(dir, target, optimizer: null));
        Assert.Contains("SLIP checkpoint from before the SimCLR head moved onto the vision trunk", ex.Message);
        Assert.Contains("retrain", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void TheSameFileWithTodaysNames_Loads()
    {
        string dir = TinyRuns.TempDirectory();
        torch.manual_seed(2);
        using var source = ModelRegistry.Create(SlipModel);
        WriteStateDict(source, Path.Combine(dir, Checkpoint.ModelFile), name => name);

        torch.manual_seed(3);
        using var target = ModelRegistry.Create(SlipModel);
        Checkpoint.LoadInto(dir, target, optimizer: null);
        var expected = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
            Assert.True(tensor.eq(expected[name]).all().ToBoolean(), name);
    }

    /// <summary>How the head's layers were named before they moved onto the trunk features.</summary>
    private static string FormerName(string name) => name.StartsWith("image_mlp.layer", StringComparison.Ordinal)
        ? "image_mlp.linear" + name["image_mlp.layer".Length..]
        : name;

    /// <summary>Writes a state dict in TorchSharp's own format (entry count, then name and tensor per entry) under renamed keys.</summary>
    private static void WriteStateDict(torch.nn.Module module, string path, Func<string, string> rename)
    {
        var stateDict = module.state_dict();
        // TorchSharp writes the entry count with its variable-length Encode; call the same method so the file is TorchSharp's format.
        var encode = typeof(torch).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .First(m => m.Name == "Encode" && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(BinaryWriter), typeof(long)]));
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        encode.Invoke(null, [writer, (long)stateDict.Count]);
        foreach (var (name, tensor) in stateDict)
        {
            writer.Write(rename(name));
            tensor.Save(writer);
        }
    }
}
