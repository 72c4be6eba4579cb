using ClipLab.Data.WebDataset;
using Xunit;

namespace ClipLab.Tests.Data.WebDataset;

public class ShardPatternTests
{
    [Fact]
    public void RangesKeepZeroPadding()
    {
        var names = ShardPattern.Expand("data/shard-{00000..00099}.tar");
        Assert.Equal(100, names.Count);
        Assert.Equal("data/shard-00000.tar", names[0]);
        Assert.Equal("data/shard-00099.tar", names[^1]);
        Assert.Equal(["x8.tar", "x9.tar", "x10.tar"], ShardPattern.Expand("x{8..10}.tar"));
        Assert.Equal(["x03", "x02"], ShardPattern.Expand("x{03..02}"));
    }

    [Fact]
    public void ListsMultipleBracesAndDoubleColonLists()
    {
        Assert.Equal(["a-0.tar", "a-1.tar", "b-0.tar", "b-1.tar"], ShardPattern.Expand("{a,b}-{0..1}.tar"));
        Assert.Equal(["x/1.tar", "y/1.tar", "y/2.tar", "z.tar"], ShardPattern.Expand("x/1.tar::y/{1..2}.tar:: z.tar"));
        Assert.Equal(["p1", "p2", "q"], ShardPattern.Expand("{p{1..2},q}"));
        Assert.Equal(["plain.tar"], ShardPattern.Expand("plain.tar"));
        Assert.Equal(["a.tar", "b-1.tar", "b-2.tar"], ShardPattern.ExpandAll(["a.tar", "b-{1..2}.tar"]));
    }

    [Theory]
    [InlineData("shard-{000..", "unmatched '{'")]
    [InlineData("shard-}.tar", "unmatched '}'")]
    [InlineData("shard-{abc}.tar", "neither a range")]
    [InlineData("shard-{1..x}.tar", "neither a range")]
    [InlineData("a.tar::::b.tar", "empty entry")]
    public void BadPatternsNameThePattern(string pattern, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ShardPattern.Expand(pattern));
        Assert.Contains(message, ex.Message);
        Assert.Contains(pattern.Split("::")[0], ex.Message);
    }
}
