package io.crmlake.models.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Names segments for marketers by deterministic rules on each segment's mean features in their own
 * units (days, orders, money; see {@link ClusterProfile}) — never on cluster ids or on the scaled
 * centroids, which change meaning from one model to the next. "Average" below is the mean over all
 * customers scored (the size-weighted mean of the segment means). A segment is
 * <em>recent</em> when its mean recency_days is at most average, <em>frequent</em> when its mean
 * frequency is at least average, <em>valuable</em> when its mean monetary is at least average.
 *
 * <p>The rules, in order. Each name goes to one segment: of the still unnamed segments that meet
 * the condition, the one that fits best.
 * <table>
 * <caption>Naming rules, applied in this order</caption>
 * <tr><th>name</th><th>condition</th><th>best fit</th></tr>
 * <tr><td>New</td><td>mean tenure_days &lt; newTenureDays (default 90)</td><td>shortest tenure</td></tr>
 * <tr><td>Champions</td><td>recent, frequent and valuable</td><td>highest monetary</td></tr>
 * <tr><td>Loyal</td><td>recent, and frequent or valuable</td><td>highest frequency</td></tr>
 * <tr><td>Potential</td><td>recent, not frequent</td><td>lowest recency</td></tr>
 * <tr><td>At risk</td><td>not recent, and frequent or valuable</td><td>highest monetary</td></tr>
 * <tr><td>Hibernating</td><td>not recent, neither frequent nor valuable</td><td>highest recency</td></tr>
 * </table>
 * A segment still unnamed afterwards (a second segment fits a name already given) takes the first
 * name in the table whose condition it meets, suffixed " 2", " 3", ...; one that meets none is
 * "Segment 1", "Segment 2", .... Leftovers are served largest first. Names taken beforehand (carried
 * over from the previous model by {@link NameCarryOver}) are skipped the same way, so names are
 * unique within a model. Ties are broken by size, then by the means, so the result does not depend
 * on cluster ids. Without recency_days, frequency and monetary among the features only New and
 * "Segment n" are given; without tenure_days there is no New.
 */
public final class SegmentNaming {
    static final String FALLBACK = "Segment";

    private record Rule(String name, Predicate<ClusterProfile> applies, Comparator<ClusterProfile> best) {}

    /** Larger segments first; equal sizes by their means, so cluster ids never decide. */
    private static final Comparator<ClusterProfile> LARGEST_FIRST = Comparator
            .comparingLong(ClusterProfile::size).reversed()
            .thenComparing(s -> s.means().values().stream().mapToDouble(Double::doubleValue).toArray(), java.util.Arrays::compare);

    private SegmentNaming() {}

    /**
     * Names every segment: those with a name keep it, the others are named by the rules.
     *
     * @return segment id → name, for every profile given
     */
    public static Map<Integer, String> name(List<ClusterProfile> segments, SegmentParams p) {
        Map<Integer, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        List<ClusterProfile> open = new ArrayList<>();
        for (ClusterProfile s : segments) {
            if (s.name() != null) {
                names.put(s.segmentId(), s.name());
                taken.add(s.name());
            } else {
                open.add(s);
            }
        }
        open.sort(LARGEST_FIRST);
        List<Rule> rules = rules(segments, p);
        for (Rule rule : rules) {
            if (taken.contains(rule.name())) {
                continue;
            }
            open.stream().filter(s -> !names.containsKey(s.segmentId())).filter(rule.applies())
                    .min(rule.best().thenComparing(LARGEST_FIRST)).ifPresent(s -> {
                names.put(s.segmentId(), rule.name());
                taken.add(rule.name());
            });
        }
        for (ClusterProfile s : open) {
            if (!names.containsKey(s.segmentId())) {
                String base = rules.stream().filter(r -> r.applies().test(s)).map(Rule::name).findFirst().orElse(FALLBACK);
                String name = unique(base, base.equals(FALLBACK) ? 1 : 2, taken);
                names.put(s.segmentId(), name);
                taken.add(name);
            }
        }
        return names;
    }

    static String unique(String base, int from, Set<String> taken) {
        if (!base.equals(FALLBACK) && !taken.contains(base)) {
            return base;
        }
        int n = from;
        while (taken.contains(base + " " + n)) {
            n++;
        }
        return base + " " + n;
    }

    private static List<Rule> rules(List<ClusterProfile> all, SegmentParams p) {
        List<Rule> rules = new ArrayList<>();
        if (p.features().contains("tenure_days")) {
            rules.add(new Rule("New", s -> s.mean("tenure_days") < p.newTenureDays(), by("tenure_days")));
        }
        if (!p.features().containsAll(List.of("recency_days", "frequency", "monetary"))) {
            return rules;
        }
        double recency = average(all, "recency_days");
        double frequency = average(all, "frequency");
        double monetary = average(all, "monetary");
        Predicate<ClusterProfile> recent = s -> s.mean("recency_days") <= recency;
        Predicate<ClusterProfile> frequent = s -> s.mean("frequency") >= frequency;
        Predicate<ClusterProfile> valuable = s -> s.mean("monetary") >= monetary;
        rules.add(new Rule("Champions", recent.and(frequent).and(valuable), by("monetary").reversed()));
        rules.add(new Rule("Loyal", recent.and(frequent.or(valuable)), by("frequency").reversed()));
        rules.add(new Rule("Potential", recent.and(frequent.negate()), by("recency_days")));
        rules.add(new Rule("At risk", recent.negate().and(frequent.or(valuable)), by("monetary").reversed()));
        rules.add(new Rule("Hibernating", recent.negate().and(frequent.negate()).and(valuable.negate()),
                by("recency_days").reversed()));
        return rules;
    }

    private static Comparator<ClusterProfile> by(String feature) {
        return Comparator.comparingDouble(s -> s.mean(feature));
    }

    /** Mean over all customers: segment means weighted by segment size. */
    private static double average(List<ClusterProfile> all, String feature) {
        double sum = 0;
        long n = 0;
        for (ClusterProfile s : all) {
            sum += s.size() * s.mean(feature);
            n += s.size();
        }
        return n == 0 ? 0 : sum / n;
    }
}
