package io.crmlake.models.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps segment names stable from one night's model to the next. k-means numbers its clusters
 * arbitrarily and the rules of {@link SegmentNaming} compare segments with each other, so a refit
 * could rename a segment that barely moved. Instead the new clusters are paired one-to-one with the
 * previous model's segments so that the total distance between paired profiles is the smallest
 * possible (an exact assignment over subsets, fine for k up to {@link SegmentParams#MAX_K}), and
 * each paired cluster inherits the previous name. When k grew, the clusters left over are named by
 * the rules; when it shrank, the previous names left over disappear.
 *
 * <p>Distances are Euclidean between the profiles' means (features in their own units) mapped into
 * tonight's standardised space ({@link SegmentFeatures#toModelSpace}): one scale for both sides,
 * where every feature weighs the same, as in the clustering itself.
 */
public final class NameCarryOver {
    private NameCarryOver() {}

    /**
     * @param current  tonight's clusters, unnamed
     * @param previous the previous model's named segments (empty on the first night)
     * @param embed    maps a profile to the space distances are measured in
     * @return tonight's clusters, those paired with a previous segment carrying its name
     */
    public static List<ClusterProfile> carryOver(List<ClusterProfile> current, List<ClusterProfile> previous,
                                                 Function<ClusterProfile, double[]> embed) {
        Map<String, ClusterProfile> byName = new LinkedHashMap<>();
        previous.stream().filter(s -> s.name() != null).forEach(s -> byName.putIfAbsent(s.name(), s));
        List<ClusterProfile> prev = new ArrayList<>(byName.values());
        if (current.isEmpty() || prev.isEmpty()) {
            return current;
        }
        double[][] cost = new double[current.size()][prev.size()];
        for (int i = 0; i < current.size(); i++) {
            double[] a = embed.apply(current.get(i));
            for (int j = 0; j < prev.size(); j++) {
                cost[i][j] = distance(a, embed.apply(prev.get(j)));
            }
        }
        int[] pair = cheapestPairing(cost);
        List<ClusterProfile> out = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            out.add(pair[i] < 0 ? current.get(i) : current.get(i).named(prev.get(pair[i]).name()));
        }
        return out;
    }

    /**
     * The one-to-one pairing of rows with columns (as many pairs as the smaller side has) with the
     * least total cost, by dynamic programming over the subsets of columns used so far.
     *
     * @return for each row its column, or -1 when it stays unpaired
     */
    static int[] cheapestPairing(double[][] cost) {
        int rows = cost.length;
        int cols = cost[0].length;
        if (rows > cols) { // pair every column with a row instead
            double[][] t = new double[cols][rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[j][i] = cost[i][j];
                }
            }
            int[] colToRow = cheapestPairing(t);
            int[] rowToCol = new int[rows];
            Arrays.fill(rowToCol, -1);
            for (int j = 0; j < cols; j++) {
                rowToCol[colToRow[j]] = j;
            }
            return rowToCol;
        }
        // best[mask]: least cost of pairing rows 0..bitCount(mask)-1 with exactly the columns in mask.
        int full = 1 << cols;
        double[] best = new double[full];
        int[] last = new int[full];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        best[0] = 0;
        for (int mask = 0; mask < full; mask++) {
            int row = Integer.bitCount(mask);
            if (row >= rows || best[mask] == Double.POSITIVE_INFINITY) {
                continue;
            }
            for (int j = 0; j < cols; j++) {
                int next = mask | (1 << j);
                if (next != mask && best[mask] + cost[row][j] < best[next]) {
                    best[next] = best[mask] + cost[row][j];
                    last[next] = j;
                }
            }
        }
        int end = -1;
        for (int mask = 0; mask < full; mask++) {
            if (Integer.bitCount(mask) == rows && (end < 0 || best[mask] < best[end])) {
                end = mask;
            }
        }
        int[] pair = new int[rows];
        for (int mask = end, row = rows - 1; row >= 0; row--) {
            pair[row] = last[mask];
            mask &= ~(1 << last[mask]);
        }
        return pair;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
