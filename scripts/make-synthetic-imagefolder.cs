#:project ../src/ClipLab/ClipLab.csproj
#:property PublishAot=false
// Writes a synthetic ImageNet-style validation folder: one folder per WordNet id of assets/imagenet/classes.tsv,
// JPEGs of SIZE×SIZE with smooth random colour fields, for measuring evaluation memory and time on 50,000 images.
// Usage: dotnet run scripts/make-synthetic-imagefolder.cs -- OUT [IMAGES=50000] [SIZE=224]
using ClipLab.Imaging;

string output = args.Length > 0 ? args[0] : throw new ArgumentException("usage: make-synthetic-imagefolder.cs OUT [IMAGES] [SIZE]");
int images = args.Length > 1 ? int.Parse(args[1]) : 50_000;
int size = args.Length > 2 ? int.Parse(args[2]) : 224;
string classesFile = Path.Combine(AppContext.BaseDirectory, "assets", "imagenet", "classes.tsv");
var wnids = File.ReadLines(classesFile).Skip(1).Select(l => l.Split('\t')[1]).ToArray();
foreach (var wnid in wnids) Directory.CreateDirectory(Path.Combine(output, wnid));
Parallel.For(0, images, i =>
{
    var rng = new Random(i);
    var image = new RgbImage(size, size);
    double fx = rng.NextDouble() * 0.1, fy = rng.NextDouble() * 0.1, phase = rng.NextDouble() * 6.28;
    byte r0 = (byte)rng.Next(256), g0 = (byte)rng.Next(256), b0 = (byte)rng.Next(256);
    var p = image.Pixels;
    for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
    {
        double wave = 0.5 + 0.5 * Math.Sin(fx * x + fy * y + phase);
        int o = 3 * (y * size + x);
        p[o] = (byte)(r0 * wave);
        p[o + 1] = (byte)(g0 * (1 - wave));
        p[o + 2] = (byte)((b0 + x + y + rng.Next(16)) & 255);
    }
    string wnid = wnids[i % wnids.Length];
    File.WriteAllBytes(Path.Combine(output, wnid, $"ILSVRC2012_val_{i + 1:D8}.JPEG"), ImageEncoder.EncodeJpeg(image, 90));
});
Console.WriteLine($"wrote {images} JPEGs of {size}×{size} px in {wnids.Length} class folders under {output}");
