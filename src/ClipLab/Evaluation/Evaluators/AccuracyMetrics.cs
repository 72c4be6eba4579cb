namespace ClipLab.Evaluation.Evaluators;

/// <summary>How a classification accuracy is written as metrics, shared by the classifying evaluators so that all report the same names.</summary>
internal static class AccuracyMetrics
{
    /// <summary>Writes <c>top1</c>, <c>top5</c>, <c>mean_per_class</c> and <c>images</c>.</summary>
    public static void Put(Dictionary<string, double> metrics, ClassificationAccuracy accuracy)
    {
        metrics["top1"] = accuracy.Top1;
        metrics["top5"] = accuracy.Top5;
        metrics["mean_per_class"] = accuracy.MeanPerClass;
        metrics["images"] = accuracy.Images;
    }

    /// <summary>Writes the mean <c>top1</c>, <c>top5</c>, <c>mean_per_class</c> over shifted variants and their number, <c>variants</c>.</summary>
    public static void PutAverage(Dictionary<string, double> metrics, IReadOnlyList<ClassificationAccuracy> variants)
    {
        metrics["top1"] = variants.Average(a => a.Top1);
        metrics["top5"] = variants.Average(a => a.Top5);
        metrics["mean_per_class"] = variants.Average(a => a.MeanPerClass);
        metrics["variants"] = variants.Count;
    }
}
