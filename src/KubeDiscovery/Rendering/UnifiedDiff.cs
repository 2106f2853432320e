using System.Globalization;
using System.Text;
using DiffPlex;

namespace KubeDiscovery.Rendering;

/// <summary>
/// Two texts as a unified diff (<c>diff -u</c>: hunks with three lines of context). DiffPlex finds the
/// changed lines; it writes no unified format, so the hunks are put together here.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Write(string before, string after, string beforeName, string afterName)
    {
        var diff = Differ.Instance.CreateLineDiffs(before, after, ignoreWhitespace: false, ignoreCase: false);
        var (a, b) = (diff.PiecesOld, diff.PiecesNew);
        var text = new StringBuilder();
        text.Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');
        var blocks = diff.DiffBlocks;
        var i = 0;
        while (i < blocks.Count)
        {
            // Blocks whose context would touch are one hunk.
            var last = i;
            while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * Context) last++;
            var startA = Math.Max(0, blocks[i].DeleteStartA - Context);
            var startB = Math.Max(0, blocks[i].InsertStartB - Context);
            var endA = Math.Min(a.Count, blocks[last].DeleteStartA + blocks[last].DeleteCountA + Context);
            var endB = Math.Min(b.Count, blocks[last].InsertStartB + blocks[last].InsertCountB + Context);
            text.Append(CultureInfo.InvariantCulture, $"@@ -{Range(startA, endA - startA)} +{Range(startB, endB - startB)} @@\n");
            var lineA = startA;
            for (var k = i; k <= last; k++)
            {
                var block = blocks[k];
                for (; lineA < block.DeleteStartA; lineA++) text.Append(' ').Append(a[lineA]).Append('\n');
                for (var d = 0; d < block.DeleteCountA; d++) text.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                for (var n = 0; n < block.InsertCountB; n++) text.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                lineA = block.DeleteStartA + block.DeleteCountA;
            }
            for (; lineA < endA; lineA++) text.Append(' ').Append(a[lineA]).Append('\n');
            i = last + 1;
        }
        return text.ToString();
    }

    // diff -u numbers lines from 1, and an empty range names the line before it.
    private static string Range(int start, int count) =>
        count == 1 ? (start + 1).ToString(CultureInfo.InvariantCulture) : $"{(count == 0 ? start : start + 1).ToString(CultureInfo.InvariantCulture)},{count.ToString(CultureInfo.InvariantCulture)}";
}
