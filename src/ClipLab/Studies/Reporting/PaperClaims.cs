namespace ClipLab.Studies.Reporting;

/// <summary>
/// The paper's twelve conclusions (reference list A6) as data the studies' runs are judged against. Axis keys and
/// values are those of the shipped studies: <c>data.keepTop</c> (0.2 … 1), <c>data.trainSubset</c>, <c>model</c>,
/// <c>training.strategy</c> (<c>clip</c>, <c>slip</c>, <c>flip</c>, <c>clip-aug</c>), <c>data.augmentation</c>
/// (<c>none</c>, <c>crop-flip</c>, <c>randaug</c>, <c>stacked-randaug</c>). Zero-shot is read on ImageNet and retrieval
/// on MSCOCO when the runs were evaluated on them (a study's <c>evaluation.standard</c>); otherwise Fashion-MNIST and
/// the held-out corpus play their roles; likewise the ImageNet variants' average (ImageNet-V2, -Sketch, -R, -A, ObjectNet)
/// or Fashion-MNIST's shifted variants. The linear probe is always Fashion-MNIST's (ImageNet on disk has no training split here).
/// </summary>
public static class PaperClaims
{
    /// <summary>In-distribution zero-shot top-1.</summary>
    public const string ZeroShot = "fashion-mnist/zeroshot/top1";
    /// <summary>Zero-shot top-1 averaged over the shifted variants.</summary>
    public const string ZeroShotShifted = "fashion-mnist-shifted-average/zeroshot/top1";
    /// <summary>Linear-probe top-1.</summary>
    public const string LinearProbe = "fashion-mnist/linear_probe/top1";

    // Candidates in order of preference: the paper's own benchmark when the runs have it, then its CPU-scale stand-in.
    private static readonly string[] ZeroShotTop1 = ["imagenet/zeroshot/top1", ZeroShot];
    private static readonly string[] ZeroShotShiftedTop1 = ["imagenet-shifted-average/zeroshot/top1", ZeroShotShifted];
    private static readonly string[] ImageToText = ["coco/retrieval/image_to_text_r1", "corpus-heldout/retrieval/image_to_text_r1", "*/retrieval/image_to_text_r1"];
    private static readonly string[] TextToImage = ["coco/retrieval/text_to_image_r1", "corpus-heldout/retrieval/text_to_image_r1", "*/retrieval/text_to_image_r1"];

    private static readonly ArmSelector FewestSamples = new(ArmSelector.SamplesSeenKey, "smallest");
    private static readonly ArmSelector MostSamples = new(ArmSelector.SamplesSeenKey, "largest");
    private static readonly ArmSelector OneEpoch = new(ArmSelector.EpochsKey, "1");
    private static readonly string[] EqualSamples = [ArmSelector.SamplesSeenKey];
    // Filters apply in order: keep the fixed-samples runs before picking the fewest or most samples among them.
    private static readonly ArmSelector FixedSampleRuns = new("training.budgetGflops", ArmSelector.Absent);

    private static ClaimCondition When(string description, string[] metrics, ArmSelector arm, string against, ClaimExpectation expect,
                                       string[]? matchOn = null, params ArmSelector[] where) =>
        new(description, metrics, arm, against, expect, matchOn ?? [], where);

    /// <summary>Every claim, in the reference list's order.</summary>
    public static IReadOnlyList<PaperClaim> All { get; } =
    [
        new("C-Quality",
            "With a fixed sample budget, training on the top-40% image–text-similarity subset beats training on 100% of the pool on zero-shot, both for one epoch (fewer steps) and at equal samples.",
            "data-quality",
            [
                When("one epoch each: top 40% beats all data on zero-shot", ZeroShotTop1, new("data.keepTop", "0.4"), "1", ClaimExpectation.Higher, where: OneEpoch),
                When("at equal samples seen: top 40% beats all data on zero-shot", ZeroShotTop1, new("data.keepTop", "0.4"), "1", ClaimExpectation.Higher, EqualSamples),
            ]),
        new("C-Quality-U",
            "Zero-shot accuracy against top-x% is U-shaped: Top20% < Top40% (too little diversity, too many repeats).",
            "data-quality",
            [When("at equal samples seen: top 40% beats top 20% on zero-shot", ZeroShotTop1, new("data.keepTop", "0.4"), "0.2", ClaimExpectation.Higher, EqualSamples)]),
        new("C-Retrieval-Quality",
            "Retrieval prefers a milder filter: Top80% gives the best retrieval.",
            "data-quality",
            [
                When("at equal samples seen: top 80% beats every other subset on image→text R@1", ImageToText, new("data.keepTop", "0.8"), ArmSelector.Others, ClaimExpectation.Higher, EqualSamples),
                When("at equal samples seen: top 80% beats every other subset on text→image R@1", TextToImage, new("data.keepTop", "0.8"), ArmSelector.Others, ClaimExpectation.Higher, EqualSamples),
            ]),
        new("C-Epochs",
            "On small datasets extra epochs (16→32) do not improve zero-shot but do improve the shifted variants; on large datasets they improve zero-shot.",
            "data-quantity",
            [
                When("smallest dataset: the most epochs give no zero-shot gain over the next fewer", ZeroShotTop1, new(ArmSelector.EpochsKey, "largest"), "second-largest", ClaimExpectation.NotHigher,
                     where: new ArmSelector("data.trainSubset", "smallest")),
                When("smallest dataset: the most epochs improve the shifted-variant average", ZeroShotShiftedTop1, new(ArmSelector.EpochsKey, "largest"), "second-largest", ClaimExpectation.Higher,
                     where: new ArmSelector("data.trainSubset", "smallest")),
                When("largest dataset: the most epochs improve zero-shot", ZeroShotTop1, new(ArmSelector.EpochsKey, "largest"), "second-largest", ClaimExpectation.Higher,
                     where: new ArmSelector("data.trainSubset", "largest")),
            ],
            "the epoch counts are the study's two largest, not 16 and 32"),
        new("C-Retrieval-Epochs",
            "Retrieval R@1 saturates after about 8 epochs.",
            "data-quantity",
            [When("every dataset size: the most epochs give no image→text R@1 gain over the next fewer", ImageToText, new(ArmSelector.EpochsKey, "largest"), "second-largest", ClaimExpectation.NotHigher,
                  ["data.trainSubset"])],
            "saturation is tested between the study's two largest epoch counts, not at 8 epochs"),
        new("C-ViT-Size",
            "With few samples seen the largest ViT is the worst ViT; the ranking flips towards larger ViTs as samples grow.",
            "vit-size",
            [
                When("fewest samples seen: the largest ViT is below every other on zero-shot", ZeroShotTop1, new("model", "largest"), ArmSelector.Others, ClaimExpectation.Lower, EqualSamples, FewestSamples),
                When("most samples seen: the largest ViT beats every other on zero-shot", ZeroShotTop1, new("model", "largest"), ArmSelector.Others, ClaimExpectation.Higher, EqualSamples, MostSamples),
            ],
            "\"largest\" is by training GFLOPs per sample; the paper's threshold (100M samples) is not reproduced"),
        new("C-Diversity",
            "At a fixed number of samples seen, growing the unique dataset beyond a size gives no significant zero-shot gain.",
            "data-quantity",
            [When("at equal samples seen: the largest dataset gives no zero-shot gain over the next smaller", ZeroShotTop1, new("data.trainSubset", "largest"), "second-largest", ClaimExpectation.NotHigher, EqualSamples)]),
        new("C-CNN",
            "At low samples/compute ResNet-50 beats ViT-B/32 (zero-shot and retrieval); ViT-B/32 wins at many samples; at equal accuracy ViTs are more robust.",
            "architectures",
            [
                When("fewest samples seen: ResNet beats ViT on zero-shot", ZeroShotTop1, new("model", "contains:resnet"), "contains:vit", ClaimExpectation.Higher, EqualSamples, FewestSamples),
                When("fewest samples seen: ResNet beats ViT on image→text R@1", ImageToText, new("model", "contains:resnet"), "contains:vit", ClaimExpectation.Higher, EqualSamples, FewestSamples),
                When("most samples seen: ViT beats ResNet on zero-shot", ZeroShotTop1, new("model", "contains:vit"), "contains:resnet", ClaimExpectation.Higher, EqualSamples, MostSamples),
            ],
            "robustness at equal in-distribution accuracy needs runs matched on accuracy, which the grid does not make"),
        new("C-LinProbe-Arch",
            "With few samples seen, MLP-Mixer gives the best linear-probe features.",
            "architectures",
            [When("fewest samples seen: Mixer beats every other architecture on the linear probe", [LinearProbe], new("model", "contains:mixer"), ArmSelector.Others, ClaimExpectation.Higher, EqualSamples, FewestSamples)]),
        new("C-SLIP",
            "SLIP beats CLIP/FLIP on zero-shot with few samples seen, is worse with many, and worst at equal FLOPs; it is best at retrieval.",
            "strategies",
            [
                When("fewest samples seen: SLIP beats CLIP on zero-shot", ZeroShotTop1, new("training.strategy", "slip"), "clip", ClaimExpectation.Higher, EqualSamples, FixedSampleRuns, FewestSamples),
                When("fewest samples seen: SLIP beats FLIP on zero-shot", ZeroShotTop1, new("training.strategy", "slip"), "flip", ClaimExpectation.Higher, EqualSamples, FixedSampleRuns, FewestSamples),
                When("at equal training GFLOPs: SLIP is below every other strategy on zero-shot", ZeroShotTop1, new("training.strategy", "slip"), ArmSelector.Others, ClaimExpectation.Lower,
                     ["training.budgetGflops"], new ArmSelector("training.budgetGflops", ArmSelector.Any)),
                When("at equal samples seen: SLIP beats every other strategy on image→text R@1", ImageToText, new("training.strategy", "slip"), ArmSelector.Others, ClaimExpectation.Higher, EqualSamples,
                     FixedSampleRuns),
            ],
            "the flip above 1B samples is not reproduced at CPU scale"),
        new("C-FLIP",
            "FLIP (50% masking, 2× batch) is about as good as CLIP on zero-shot at large sample counts, at about half the image-tower FLOPs.",
            "strategies",
            [When("most samples seen: FLIP and CLIP are within seed noise on zero-shot", ZeroShotTop1, new("training.strategy", "flip"), "clip", ClaimExpectation.Similar, EqualSamples, FixedSampleRuns, MostSamples)],
            "the FLOPs saving is a property of the model, shown in the runs' GFLOPs per sample"),
        new("C-Aug",
            "Stacked RandAugment with multi-epoch training matches no-aug CLIP trained on 2× the data; it hurts in the 1-epoch regime; it gives the best linear-probe features.",
            "data-aug",
            [
                When("one epoch: no augmentation beats Stacked RandAugment on zero-shot", ZeroShotTop1, new("data.augmentation", "none"), "stacked-randaug", ClaimExpectation.Higher, where: OneEpoch),
                When("most epochs: Stacked RandAugment beats no augmentation on the linear probe", [LinearProbe], new("data.augmentation", "stacked-randaug"), "none", ClaimExpectation.Higher,
                     where: new ArmSelector(ArmSelector.EpochsKey, "largest")),
            ],
            "\"matches no-aug on 2× the data\" pairs runs across two axes, which a single comparison does not express"),
    ];
}
