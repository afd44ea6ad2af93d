package io.crmlake.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The truth behind the generated data, beside it in {@code _ground_truth/}: each customer's hidden
 * type, the planted co-purchase pairs, the product categories, and the dirt planted per day.
 * Tests and model evaluations compare what crmlake finds with it.
 */
final class GroundTruthWriter implements AutoCloseable {
    /** Folder of the ground truth beside the entity folders; ingest never reads it. */
    static final String FOLDER = "_ground_truth";

    private final Path dir;
    private final BufferedWriter customers;

    GroundTruthWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.customers = Files.newBufferedWriter(dir.resolve("customers.csv"), StandardCharsets.UTF_8);
        customers.write("customer_id,type,favourite_categories,mean_gap_days,churn_date,signup_date\n");
    }

    void customer(String row) {
        try {
            customers.write(row);
            customers.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void catalog(ProductCatalog catalog) throws IOException {
        StringBuilder pairs = new StringBuilder("antecedent_product_id,consequent_product_id,probability\n");
        for (ProductCatalog.Pair p : catalog.pairs) {
            pairs.append(p.first().id()).append(',').append(p.second().id()).append(',')
                    .append(ProductCatalog.PAIR_FOLLOW_PROBABILITY).append('\n');
        }
        Files.writeString(dir.resolve("copurchase_pairs.csv"), pairs);
        StringBuilder products = new StringBuilder("product_id,category\n");
        for (ProductCatalog.Product p : catalog.products) {
            products.append(p.id()).append(',').append(ProductCatalog.CATEGORIES.get(p.category())).append('\n');
        }
        Files.writeString(dir.resolve("products.csv"), products);
        Files.writeString(dir.resolve("README.md"), """
                # Ground truth of the generated exports

                - `customers.csv`: each customer's hidden type (Champions, Loyal, At risk, Hibernating, New),
                  the two favourite categories that get about 70% of their basket picks, the mean days
                  between their orders (empty for types whose few orders follow their own rule), the date an
                  "At risk" customer stopped buying, and the sign-up date.
                - `copurchase_pairs.csv`: planted pairs: when a basket holds the antecedent, the consequent
                  joins it with the given probability.
                - `products.csv`: each product's category.
                - `dirt.csv`: how many rows of each kind of dirt were planted per entity and export day:
                  exact_duplicate (extra copies), newer_version (an older version in the same file),
                  stale_version (an old version re-sent later), malformed_email, mixed_case_email,
                  phone_format (not in +international form), second_date_format, country_name,
                  orphan_order (customer exists nowhere) and orphan_order_lines (their lines,
                  quarantined as parent_quarantined), orphan_line (order exists nowhere),
                  unknown_product, negative_quantity (on a completed order; on a cancelled or
                  returned one it is a valid credit line, counted as negative_quantity_not_sold),
                  cancelled_order, returned_order, empty_file, missing_column (customers file of day two
                  has no phone column).
                  The realistic profile (`--profile realistic`) plants only negative_quantity (on a
                  completed order with at least two lines, its total still positive), malformed_email
                  and mixed_case_email, and logs what real shop exports carry: guest_order (orders: an
                  order with an empty customer_id), credit_note (orders: a cancelled order "C" + the
                  original order's id, giving lines back with negative quantities) and
                  same_time_versions (products: an extra version of a product in the same file with
                  the same updated_at and another price).
                """);
    }

    static void writeDirt(Path dir, DirtLog dirt) throws IOException {
        StringBuilder sb = new StringBuilder("kind,entity,batch_date,count\n");
        for (Map.Entry<String, Long> e : dirt.counts().entrySet()) {
            sb.append(e.getKey()).append(',').append(e.getValue()).append('\n');
        }
        Files.writeString(dir.resolve("dirt.csv"), sb);
    }

    @Override
    public void close() throws IOException {
        customers.close();
    }
}
