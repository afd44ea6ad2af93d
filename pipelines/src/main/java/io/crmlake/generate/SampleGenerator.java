package io.crmlake.generate;

import static io.crmlake.schema.Entity.CAMPAIGNS;
import static io.crmlake.schema.Entity.CUSTOMERS;
import static io.crmlake.schema.Entity.PRODUCTS;
import static io.crmlake.schema.Entity.TICKETS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.crmlake.schema.Entity;

/**
 * Deterministic synthetic CRM exports in the landing layout: day one a full export of
 * {@link GeneratorOptions#historyDays()} of history (a year by default), then daily incremental
 * exports, with hidden customer types, co-purchase pairs, history-dependent purchase timing,
 * campaign reactions, ticket texts that agree with satisfaction, and a few percent of realistic
 * dirt; the {@link GeneratorOptions.Profile profile} decides which. The truth behind it all goes to
 * {@code <out>/_ground_truth/}. Same options, same bytes.
 */
public final class SampleGenerator {
    private SampleGenerator() {}

    public static GenerationSummary generate(GeneratorOptions o) throws IOException {
        clearPreviousOutput(o.out());
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = o.firstDate(); !d.isAfter(o.lastDate()); d = d.plusDays(1)) {
            days.add(d);
        }
        ProductCatalog catalog = new ProductCatalog(o.seed());
        List<LocalDate> campaignStarts = new ArrayList<>();
        for (LocalDate d = o.historyStart(); !d.isAfter(o.lastDate()); d = d.plusDays(14)) {
            campaignStarts.add(d);
        }
        DirtLog dirt = new DirtLog();
        GroundTruthWriter truth = new GroundTruthWriter(o.out().resolve(GroundTruthWriter.FOLDER));
        LandingWriter out = new LandingWriter(o.out(), days);
        if (!o.realistic() && days.size() >= 2) {
            out.omitColumn(CUSTOMERS, days.get(1), "phone");
            dirt.add("missing_column", CUSTOMERS, days.get(1));
        }
        try (out; truth) {
            if (o.realistic()) {
                writeRealisticProducts(o, catalog, out, dirt);
            } else {
                writeProducts(o, catalog, out);
            }
            writeCampaigns(o, campaignStarts, out);
            CustomerSimulator.Ids ids = new CustomerSimulator.Ids();
            for (int i = 0; i < o.customers(); i++) {
                CustomerSimulator c = new CustomerSimulator(o, i, catalog, campaignStarts, out, dirt, ids);
                c.run();
                truth.customer(c.truthRow());
            }
            truth.catalog(catalog);
        }
        if (!o.realistic() && days.size() >= 3) {
            Files.write(o.out().resolve(TICKETS.tableName()).resolve(days.get(2).toString()).resolve("tickets_part2.csv"), new byte[0]);
            dirt.add("empty_file", TICKETS, days.get(2));
        }
        GroundTruthWriter.writeDirt(o.out().resolve(GroundTruthWriter.FOLDER), dirt);
        return new GenerationSummary(out.counts(), dirt.counts());
    }

    /** The full catalog on day one; on later days a few price changes with a newer updated_at. */
    private static void writeProducts(GeneratorOptions o, ProductCatalog catalog, LandingWriter out) {
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x9a1ceL);
        for (ProductCatalog.Product p : catalog.products) {
            out.write(PRODUCTS, o.firstDate(), p.id(), p.name(), ProductCatalog.CATEGORIES.get(p.category()), p.brand(),
                    p.price().toPlainString(),
                    o.historyStart().minusDays(rnd.nextInt(200)).atTime(6, 0).format(CustomerSimulator.TS));
        }
        for (LocalDate d = o.firstDate().plusDays(1); !d.isAfter(o.lastDate()); d = d.plusDays(1)) {
            ProductCatalog.Product p = catalog.products.get(rnd.nextInt(catalog.products.size()));
            out.write(PRODUCTS, d, p.id(), p.name(), ProductCatalog.CATEGORIES.get(p.category()), p.brand(),
                    p.price().multiply(java.math.BigDecimal.valueOf(0.9)).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString(),
                    d.atTime(5, 30).format(CustomerSimulator.TS));
        }
    }

    /**
     * The realistic catalog: about 15% of products without a category and 5% without a name (the
     * same in every version of the product); on later days a price change with a newer updated_at
     * and a few products sent twice with the same updated_at and different prices.
     */
    private static void writeRealisticProducts(GeneratorOptions o, ProductCatalog catalog, LandingWriter out,
                                               DirtLog dirt) {
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x9a1ceL);
        SplittableRandom gaps = new SplittableRandom(o.seed() ^ 0x6a95ca7L);
        java.util.Map<String, String[]> shown = new java.util.HashMap<>();
        for (ProductCatalog.Product p : catalog.products) {
            boolean noCategory = gaps.nextDouble() < 0.15;
            boolean noName = gaps.nextDouble() < 0.05;
            shown.put(p.id(), new String[]{noName ? null : p.name(), noCategory ? null : ProductCatalog.CATEGORIES.get(p.category())});
        }
        DateTimeFormatter ts = CustomerSimulator.timestamps(o);
        for (ProductCatalog.Product p : catalog.products) {
            String[] s = shown.get(p.id());
            out.write(PRODUCTS, o.firstDate(), p.id(), s[0], s[1], p.brand(), p.price().toPlainString(),
                    o.historyStart().minusDays(rnd.nextInt(200)).atTime(6, 0).format(ts));
        }
        int n = catalog.products.size();
        for (LocalDate d = o.firstDate().plusDays(1); !d.isAfter(o.lastDate()); d = d.plusDays(1)) {
            int changed = rnd.nextInt(n);
            ProductCatalog.Product p = catalog.products.get(changed);
            String[] s = shown.get(p.id());
            out.write(PRODUCTS, d, p.id(), s[0], s[1], p.brand(), scaled(p.price(), 0.9),
                    d.atTime(5, 30).format(ts));
            // Several versions within one second: the export keeps each price the day's edits went through.
            java.util.Set<Integer> picked = new java.util.LinkedHashSet<>();
            while (picked.size() < Math.min(SAME_TIME_PRODUCTS_PER_DAY, n - 1)) {
                int i = rnd.nextInt(n);
                if (i != changed) {
                    picked.add(i);
                }
            }
            for (int i : picked) {
                ProductCatalog.Product q = catalog.products.get(i);
                String[] t = shown.get(q.id());
                String at = d.atTime(8 + rnd.nextInt(10), rnd.nextInt(60), rnd.nextInt(60)).format(ts);
                String first = scaled(q.price(), 0.85 + rnd.nextInt(10) / 100.0);
                String second = scaled(q.price(), 0.95 + rnd.nextInt(10) / 100.0);
                if (second.equals(first)) {
                    second = new java.math.BigDecimal(first).add(new java.math.BigDecimal("0.01")).toPlainString();
                }
                out.write(PRODUCTS, d, q.id(), t[0], t[1], q.brand(), first, at);
                out.write(PRODUCTS, d, q.id(), t[0], t[1], q.brand(), second, at);
                dirt.add("same_time_versions", PRODUCTS, d);
            }
        }
    }

    /** Products per incremental day sent in two versions with the same updated_at. */
    private static final int SAME_TIME_PRODUCTS_PER_DAY = 2;

    private static String scaled(java.math.BigDecimal price, double factor) {
        return price.multiply(java.math.BigDecimal.valueOf(factor)).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static void writeCampaigns(GeneratorOptions o, List<LocalDate> starts, LandingWriter out) {
        String[] themes = {"Spring Sale", "Summer Deals", "Back to School", "Autumn Picks", "Black Friday", "Winter Warmers", "New Arrivals"};
        for (int c = 0; c < starts.size(); c++) {
            LocalDate start = starts.get(c);
            LocalDate day = start.isAfter(o.firstDate()) ? start : o.firstDate();
            out.write(CAMPAIGNS, day, String.format("CMP%03d", c + 1), themes[c % themes.length] + " " + start.getYear(),
                    "email", start.toString(), start.plusDays(7).toString());
        }
    }

    /** Removes what an earlier run wrote (the seven entity folders and the ground truth), nothing else. */
    private static void clearPreviousOutput(Path out) throws IOException {
        List<Path> ours = new ArrayList<>();
        for (Entity e : Entity.values()) {
            ours.add(out.resolve(e.tableName()));
        }
        ours.add(out.resolve(GroundTruthWriter.FOLDER));
        for (Path p : ours) {
            if (Files.exists(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        Files.createDirectories(out);
    }
}
