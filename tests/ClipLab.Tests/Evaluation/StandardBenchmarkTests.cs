using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Benchmarks.Standard;
using ClipLab.Imaging;
using Xunit;

namespace ClipLab.Tests.Evaluation;

/// <summary>Each standard format read from a tiny fixture written here in its exact on-disk layout.</summary>
public class StandardBenchmarkTests
{
    private const int Size = 16;

    /// <summary>A flat-colour PNG whose red value identifies it (a flat image keeps its colour through the crop).</summary>
    private static void Image(string path, byte red, string format = "png")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var image = RgbImage.Filled(30, 20, new RgbColor(red, 50, 90));
        File.WriteAllBytes(path, format == "png" ? ImageEncoder.EncodePng(image) : ImageEncoder.EncodeJpeg(image, 95));
    }

    private static (int[] Labels, byte[] Reds, int Classes) Classify(string format, string path)
    {
        var (classification, retrieval) = StandardBenchmarks.Load(new StandardBenchmarkSource(format, path), Size, 3);
        Assert.Null(retrieval);
        Assert.NotNull(classification);
        using var images = classification.Test.LoadImages();
        Assert.Equal(new long[] { classification.Test.Count, 3, Size, Size }, images.shape);
        var reds = Enumerable.Range(0, classification.Test.Count).Select(i => images[i, 0, 8, 8].item<byte>()).ToArray();
        return (classification.Test.Labels, reds, classification.Classes);
    }

    [Fact]
    public void ShippedImageNetAssetsHoldTheStandardFacts()
    {
        Assert.Equal(1000, ImageNetClasses.Wnids.Count);
        Assert.Equal(ImageNetClasses.Wnids.Order(StringComparer.Ordinal), ImageNetClasses.Wnids);
        Assert.Equal(("n01440764", "tench"), (ImageNetClasses.Wnids[0], ImageNetClasses.Names[0]));
        Assert.Equal(("n15075141", "toilet paper"), (ImageNetClasses.Wnids[999], ImageNetClasses.Names[999]));
        Assert.Equal(80, ImageNetClasses.Templates("clip").Count);
        Assert.Equal("a bad photo of a {}.", ImageNetClasses.Templates("clip")[0]);
        Assert.Equal(8, ImageNetClasses.Templates("best").Count);
        Assert.Contains("itap of a {}.", ImageNetClasses.Templates("best"));
        Assert.Equal(200, ImageNetClasses.Subset("imagenet-r").Distinct().Count());
        Assert.Equal(200, ImageNetClasses.Subset("imagenet-a").Distinct().Count());
        Assert.Equal("n01443537", ImageNetClasses.Subset("imagenet-r")[0]); // goldfish, index 1
        Assert.Equal("n01498041", ImageNetClasses.Subset("imagenet-a")[0]); // stingray, index 6
        Assert.Contains("clip, best", Assert.Throws<ArgumentException>(() => ImageNetClasses.Templates("all")).Message);
    }

    [Fact]
    public void ImageNetSynsetFoldersAndIndexFolders()
    {
        string root = TinyRuns.TempDirectory();
        Image(Path.Combine(root, "val", "n01443537", "ILSVRC2012_val_00000002.JPEG"), 10, "jpg");
        Image(Path.Combine(root, "val", "n01440764", "ILSVRC2012_val_00000001.JPEG"), 200, "jpg");
        Image(Path.Combine(root, "val", "n15075141", "a.png"), 120);
        var (labels, reds, classes) = Classify("imagenet", Path.Combine(root, "val"));
        Assert.Equal(1000, classes);
        Assert.Equal([0, 1, 999], labels);
        Assert.InRange(reds[0], 195, 205);
        Assert.InRange(reds[1], 5, 15);
        Assert.Equal(120, reds[2]);

        Image(Path.Combine(root, "v2", "0", "x.jpeg"), 30, "jpg");
        Image(Path.Combine(root, "v2", "12", "y.png"), 40);
        Image(Path.Combine(root, "v2", "999", "z.png"), 50);
        Assert.Equal([0, 12, 999], Classify("imagenet-v2", Path.Combine(root, "v2")).Labels);

        Image(Path.Combine(root, "bad", "n99999999", "q.png"), 1);
        Assert.Contains("not one of the 1000 ImageNet-1k WordNet ids", Assert.Throws<InvalidDataException>(() => Classify("imagenet", Path.Combine(root, "bad"))).Message);
    }

    [Fact]
    public void ImageNetFlatFilesWithEachLabelList()
    {
        string root = TinyRuns.TempDirectory();
        for (int i = 1; i <= 3; i++) Image(Path.Combine(root, "val", $"ILSVRC2012_val_{i:D8}.JPEG"), (byte)(i * 50), "jpg");
        File.WriteAllText(Path.Combine(root, "LOC_val_solution.csv"),
            "ImageId,PredictionString\nILSVRC2012_val_00000002,n01443537 1 2 3 4 n01443537 5 6 7 8\nILSVRC2012_val_00000001,n15075141 1 2 3 4\nILSVRC2012_val_00000003,n01440764 0 0 9 9\n");
        Assert.Equal([999, 1, 0], Classify("imagenet", Path.Combine(root, "val")).Labels);

        string tf = TinyRuns.TempDirectory();
        for (int i = 1; i <= 2; i++) Image(Path.Combine(tf, $"ILSVRC2012_val_{i:D8}.JPEG"), 60, "jpg");
        File.WriteAllText(Path.Combine(tf, "imagenet_2012_validation_synset_labels.txt"), "n01484850\nn01440764\n");
        Assert.Equal([2, 0], Classify("imagenet", tf).Labels);

        string caffe = TinyRuns.TempDirectory();
        Image(Path.Combine(caffe, "val", "ILSVRC2012_val_00000001.JPEG"), 60, "jpg");
        Image(Path.Combine(caffe, "val", "ILSVRC2012_val_00000002.JPEG"), 60, "jpg");
        File.WriteAllText(Path.Combine(caffe, "val.txt"), "ILSVRC2012_val_00000001.JPEG 65\nILSVRC2012_val_00000002.JPEG 970\n");
        Assert.Equal([65, 970], Classify("imagenet", Path.Combine(caffe, "val")).Labels);

        File.WriteAllText(Path.Combine(caffe, "val.txt"), "ILSVRC2012_val_00000009.JPEG 1\n");
        Assert.Contains("is listed but not in", Assert.Throws<InvalidDataException>(() => Classify("imagenet", Path.Combine(caffe, "val"))).Message);
        Assert.Contains("LOC_val_solution.csv", Assert.Throws<InvalidDataException>(() => Classify("imagenet", TinyRuns.TempDirectory())).Message);
    }

    [Fact]
    public void ImageNetRAndAAreScoredOverTheir200Classes()
    {
        string root = TinyRuns.TempDirectory();
        Image(Path.Combine(root, "r", "n01443537", "art_0.jpg"), 10, "jpg");   // goldfish: R class 0
        Image(Path.Combine(root, "r", "n01484850", "art_1.png"), 20);          // great white shark: R class 1
        var (labels, _, classes) = Classify("imagenet-r", Path.Combine(root, "r"));
        Assert.Equal(200, classes);
        Assert.Equal([0, 1], labels);
        var (r, _) = StandardBenchmarks.Load(new StandardBenchmarkSource("imagenet-r", Path.Combine(root, "r")), Size, 3);
        Assert.Equal(["goldfish", "great white shark"], r!.Prompts.ClassNames.Take(2));

        Image(Path.Combine(root, "a", "n01498041", "0.jpg"), 10, "jpg");       // stingray: A class 0
        Assert.Equal([0], Classify("imagenet-a", Path.Combine(root, "a")).Labels);
        Image(Path.Combine(root, "a", "n01440764", "1.jpg"), 10, "jpg");       // tench is not in ImageNet-A
        Assert.Contains("not one of the 200 classes of imagenet-a", Assert.Throws<InvalidDataException>(() => Classify("imagenet-a", Path.Combine(root, "a"))).Message);
    }

    [Fact]
    public void ObjectNetUsesItsMappingFiles()
    {
        string root = Path.Combine(TinyRuns.TempDirectory(), "objectnet-1.0");
        Image(Path.Combine(root, "images", "alarm_clock", "1.png"), 10);
        Image(Path.Combine(root, "images", "backpack", "2.png"), 20);
        Image(Path.Combine(root, "images", "air_freshener", "3.png"), 30); // no ImageNet class: left out
        Directory.CreateDirectory(Path.Combine(root, "mappings"));
        File.WriteAllText(Path.Combine(root, "mappings", "folder_to_objectnet_label.json"),
            """{"air_freshener": "Air freshener", "alarm_clock": "Alarm clock", "backpack": "Backpack"}""");
        File.WriteAllText(Path.Combine(root, "mappings", "objectnet_to_imagenet_1k.json"),
            """{"Alarm clock": "analog clock; digital clock", "Backpack": "backpack, back pack, knapsack, packsack, rucksack, haversack"}""");
        var (labels, reds, classes) = Classify("objectnet", root);
        Assert.Equal(2, classes);
        Assert.Equal([0, 1], labels);
        Assert.Equal([10, 20], reds);
        var (objectnet, _) = StandardBenchmarks.Load(new StandardBenchmarkSource("objectnet", Path.Combine(root, "images")), Size, 3);
        Assert.Equal(["alarm clock", "backpack"], objectnet!.Prompts.ClassNames);
    }

    [Fact]
    public void CocoAndKarpathyCaptionFiles()
    {
        string root = TinyRuns.TempDirectory();
        Image(Path.Combine(root, "val2017", "000000000139.jpg"), 10, "jpg");
        Image(Path.Combine(root, "val2017", "000000000285.jpg"), 20, "jpg");
        File.WriteAllText(Path.Combine(root, "captions_val2017.json"), """
            {"info": {}, "images": [{"id": 139, "file_name": "000000000139.jpg", "height": 20, "width": 30},
                                    {"id": 285, "file_name": "000000000285.jpg"}],
             "annotations": [{"image_id": 285, "id": 1, "caption": "A big bear."}, {"image_id": 139, "id": 2, "caption": "A room. "},
                             {"image_id": 285, "id": 3, "caption": "A brown bear sitting."}]}
            """);
        var (_, coco) = StandardBenchmarks.Load(new StandardBenchmarkSource("coco", Path.Combine(root, "captions_val2017.json"), Path.Combine(root, "val2017")), Size, 3);
        var pairs = coco!.Load();
        Assert.Equal(2, pairs.Images.Count);
        Assert.Equal(["A room.", "A big bear.", "A brown bear sitting."], pairs.Captions);
        Assert.Equal([0, 1, 1], pairs.CaptionImage);

        Image(Path.Combine(root, "val2014", "COCO_val2014_000000391895.jpg"), 30, "jpg");
        Image(Path.Combine(root, "val2014", "COCO_val2014_000000522418.jpg"), 40, "jpg");
        File.WriteAllText(Path.Combine(root, "dataset_coco.json"), """
            {"dataset": "coco", "images": [
              {"filepath": "val2014", "filename": "COCO_val2014_000000391895.jpg", "split": "test", "sentences": [{"raw": "A man riding.", "tokens": ["a"]}, {"raw": "A biker."}]},
              {"filepath": "val2014", "filename": "COCO_val2014_000000000042.jpg", "split": "train", "sentences": [{"raw": "not in the test split"}]},
              {"filepath": "val2014", "filename": "COCO_val2014_000000522418.jpg", "split": "test", "sentences": [{"raw": "A woman cutting a cake."}]}]}
            """);
        var karpathy = StandardBenchmarks.Load(new StandardBenchmarkSource("coco", Path.Combine(root, "dataset_coco.json"), root), Size, 3).Retrieval!.Load();
        Assert.Equal(["A man riding.", "A biker.", "A woman cutting a cake."], karpathy.Captions);
        Assert.Equal([0, 0, 1], karpathy.CaptionImage);
        using var images = karpathy.Images.LoadImages();
        Assert.InRange(images[1, 0, 8, 8].item<byte>(), 35, 45);

        Image(Path.Combine(root, "flickr30k-images", "1000092795.jpg"), 50, "jpg");
        Image(Path.Combine(root, "flickr30k-images", "10002456.jpg"), 60, "jpg");
        File.WriteAllText(Path.Combine(root, "dataset_flickr30k.json"), """
            {"images": [{"filename": "1000092795.jpg", "split": "test", "sentences": [{"raw": "Two young guys."}]},
                        {"filename": "10002456.jpg", "split": "test", "sentences": [{"raw": "Several men."}, {"raw": "Workers."}]}], "dataset": "flickr30k"}
            """);
        var flickr = StandardBenchmarks.Load(new StandardBenchmarkSource("flickr30k", Path.Combine(root, "dataset_flickr30k.json"), Path.Combine(root, "flickr30k-images")), Size, 3).Retrieval!.Load();
        Assert.Equal([0, 1, 1], flickr.CaptionImage);

        File.Delete(Path.Combine(root, "flickr30k-images", "10002456.jpg"));
        var missing = StandardBenchmarks.Load(new StandardBenchmarkSource("flickr30k", Path.Combine(root, "dataset_flickr30k.json"), Path.Combine(root, "flickr30k-images")), Size, 3).Retrieval!;
        Assert.Contains("10002456.jpg", Assert.Throws<InvalidDataException>(() => missing.Load()).Message);
        Assert.Throws<ArgumentException>(() => new StandardBenchmarkSource("coco", "x.json").Validated());
    }

    private static byte[] CifarRecord(int labelBytes, int label, byte r, byte g, byte b)
    {
        var record = new byte[labelBytes + 3072];
        record[labelBytes - 1] = (byte)label;
        if (labelBytes == 2) record[0] = 7; // coarse label, ignored
        Array.Fill(record, r, labelBytes, 1024);
        Array.Fill(record, g, labelBytes + 1024, 1024);
        Array.Fill(record, b, labelBytes + 2048, 1024);
        return record;
    }

    [Fact]
    public void CifarBinaryBatches()
    {
        string ten = TinyRuns.TempDirectory();
        File.WriteAllText(Path.Combine(ten, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        File.WriteAllBytes(Path.Combine(ten, "test_batch.bin"), [.. CifarRecord(1, 3, 200, 10, 20), .. CifarRecord(1, 9, 5, 250, 30)]);
        for (int i = 1; i <= 5; i++) File.WriteAllBytes(Path.Combine(ten, $"data_batch_{i}.bin"), CifarRecord(1, i, 100, 100, 100));
        var (cifar10, _) = StandardBenchmarks.Load(new StandardBenchmarkSource("cifar10", ten), Size, 3);
        Assert.Equal("truck", cifar10!.Prompts.ClassNames[9]);
        Assert.Equal([3, 9], cifar10.Test.Labels);
        Assert.Equal([1, 2, 3, 4, 5], cifar10.Train!.Labels);
        using var images = cifar10.Test.LoadImages();
        Assert.Equal(new long[] { 2, 3, Size, Size }, images.shape);
        Assert.Equal((200, 10, 20), (images[0, 0, 5, 5].item<byte>(), images[0, 1, 5, 5].item<byte>(), images[0, 2, 5, 5].item<byte>()));
        Assert.Equal(250, images[1, 1, 0, 0].item<byte>());

        string hundred = TinyRuns.TempDirectory();
        File.WriteAllLines(Path.Combine(hundred, "fine_label_names.txt"), Enumerable.Range(0, 100).Select(i => i == 1 ? "aquarium_fish" : $"class{i}"));
        File.WriteAllBytes(Path.Combine(hundred, "test.bin"), [.. CifarRecord(2, 1, 1, 2, 3), .. CifarRecord(2, 99, 4, 5, 6)]);
        File.WriteAllBytes(Path.Combine(hundred, "train.bin"), CifarRecord(2, 42, 7, 8, 9));
        var (cifar100, _) = StandardBenchmarks.Load(new StandardBenchmarkSource("cifar100", hundred), Size, 3);
        Assert.Equal("aquarium fish", cifar100!.Prompts.ClassNames[1]);
        Assert.Equal([1, 99], cifar100.Test.Labels);
        Assert.Equal([42], cifar100.Train!.Labels);

        File.WriteAllBytes(Path.Combine(hundred, "test.bin"), new byte[100]);
        Assert.Contains("whole number", Assert.Throws<InvalidDataException>(() => StandardBenchmarks.Load(new StandardBenchmarkSource("cifar100", hundred), Size, 3)).Message);
    }

    [Fact]
    public void StreamedBatchesKeepListOrderAndNameABadImage()
    {
        string root = TinyRuns.TempDirectory();
        var images = new List<EvaluationImage>();
        for (int i = 0; i < 45; i++)
        {
            string path = Path.Combine(root, $"{i}.png");
            Image(path, (byte)(i * 5));
            images.Add(EvaluationImage.FromFile(path));
        }
        var reds = new List<byte>();
        foreach (var batch in EvaluationImages.Batches(images, Size, 1, batchSize: 4, workers: 3))
            using (batch)
            {
                Assert.InRange(batch.shape[0], 1, 4);
                for (int i = 0; i < batch.shape[0]; i++) reds.Add(batch[i, 0, 0, 0].item<byte>());
            }
        // One channel: luma of (5i, 50, 90), increasing with i, so list order shows as increasing values.
        Assert.Equal(45, reds.Count);
        Assert.Equal(reds.Order(), reds);
        Assert.Equal(45, reds.Distinct().Count());

        File.WriteAllBytes(Path.Combine(root, "17.png"), [1, 2, 3, 4]);
        var error = Assert.Throws<InvalidDataException>(() => EvaluationImages.Batches(images, Size, 3, 4, workers: 2).ToList().ForEach(t => t.Dispose()));
        Assert.Contains("17.png", error.Message);
    }
}
