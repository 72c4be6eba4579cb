using ClipLab.Studies;

namespace ClipLab.Tests.Studies;

/// <summary>Study files for tests: a tiny inline model on Fashion-MNIST, a few steps per run, retrieval on 50 held-out images only (fast).</summary>
internal static class TinyStudy
{
    /// <summary>The base run config of the tiny studies (16 px ViT, batch 64, 1,024 training images).</summary>
    public static string Base(int samples = 64 * 4, int checkpointEvery = 2) => $$"""
        {
          "modelConfig": {
            "vision": { "type": "vit", "imageSize": 16, "patchSize": 8, "width": 32, "depth": 1, "heads": 2 },
            "text": { "width": 32, "depth": 1, "heads": 2 },
            "embedDim": 32
          },
          "data": { "trainSubset": 1024 },
          "training": { "batchSize": 64, "samplesSeen": {{samples}}, "learningRate": 0.003, "weightDecay": 0.1, "warmupSteps": 1,
                        "checkpointEverySteps": {{checkpointEvery}}, "logEverySteps": 1, "threads": 1 },
          "evaluation": { "retrievalImages": 50, "retrievalCaptionsPerImage": 1 }
        }
        """;

    /// <summary>A study file of one scale (<c>cpu</c>) with the given axes JSON, written into <paramref name="folder"/>.</summary>
    public static string Write(string folder, string axes = """[ { "key": "training.learningRate", "values": [0.001, 0.003, 0.01] } ]""",
        string seeds = "[0]", string budget = """{ "regimes": ["config"] }""", int samples = 64 * 4, int checkpointEvery = 2, string name = "tiny",
        string evaluation = """{ "suite": "quick", "tasks": ["retrieval"] }""")
    {
        string path = Path.Combine(folder, name + ".json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "description": "a tiny study for tests",
              "claims": ["C-Test"],
              "scales": {
                "cpu": {
                  "base": {{Base(samples, checkpointEvery)}},
                  "axes": {{axes}},
                  "seeds": {{seeds}},
                  "budget": {{budget}},
                  "evaluation": {{evaluation}}
                }
              }
            }
            """);
        return path;
    }

    /// <summary>Loads <paramref name="path"/> at the cpu scale.</summary>
    public static StudyDefinition Load(string path) => StudyLoader.Load(path, "cpu");
}
