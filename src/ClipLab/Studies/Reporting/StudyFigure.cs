namespace ClipLab.Studies.Reporting;

/// <summary>The quantity on a study figure's x axis.</summary>
public enum FigureX
{
    /// <summary>Training samples seen.</summary>
    SamplesSeen,
    /// <summary>Total training compute in GFLOPs (log scale).</summary>
    TotalGflops,
}

/// <summary>One drawn figure of a study report.</summary>
/// <param name="Name">File stem, unique within the report (e.g. <c>data-quality-fashion-mnist-zeroshot-top1-vs-samples</c>).</param>
/// <param name="Title">The figure's title.</param>
/// <param name="Metric">The metric on the y axis.</param>
/// <param name="X">The quantity on the x axis.</param>
/// <param name="Svg">The figure as an SVG document.</param>
/// <param name="Png">The figure as PNG bytes.</param>
public sealed record StudyFigure(string Name, string Title, ReportedMetric Metric, FigureX X, string Svg, byte[] Png);
