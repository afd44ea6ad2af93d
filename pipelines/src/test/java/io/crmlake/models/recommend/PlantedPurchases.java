package io.crmlake.models.recommend;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.schema.Entity;

/**
 * Two groups of customers, each buying only within its own product group:
 * a1..a4 each bought three of A1..A4, all but A<i>; b1..b4 likewise in B1..B4 (all in September
 * 2026). a5 bought A1 alone and r1 A2 alone, so A1 and A2 have 4 buyers each and every other
 * product 3. n1 never bought anything.
 *
 * <p>With {@code heldOut}, on 2026-10-20 each a<i> / b<i> buys the product it lacked (a1 also
 * re-buys A2), r1 re-buys A2 and h1, unknown before, buys B1.
 */
final class PlantedPurchases {
    static final List<String> GROUP_A = List.of("A1", "A2", "A3", "A4");
    static final List<String> GROUP_B = List.of("B1", "B2", "B3", "B4");

    private final List<Object[]> orders = new ArrayList<>();
    private final List<Object[]> items = new ArrayList<>();

    private PlantedPurchases() {}

    static RecommendInputs inputs(SparkSession spark, boolean heldOut) {
        PlantedPurchases p = new PlantedPurchases();
        for (int i = 1; i <= 4; i++) {
            p.order("a" + i, "2026-09-0" + i + "T10:00:00Z", without(GROUP_A, i));
            p.order("b" + i, "2026-09-0" + i + "T11:00:00Z", without(GROUP_B, i));
        }
        p.order("a5", "2026-09-10T10:00:00Z", List.of("A1"));
        p.order("r1", "2026-09-10T11:00:00Z", List.of("A2"));
        if (heldOut) {
            for (int i = 1; i <= 4; i++) {
                p.order("a" + i, "2026-10-20T10:00:00Z", i == 1 ? List.of("A1", "A2") : List.of("A" + i));
                p.order("b" + i, "2026-10-20T11:00:00Z", List.of("B" + i));
            }
            p.order("r1", "2026-10-20T12:00:00Z", List.of("A2"));
            p.order("h1", "2026-10-20T13:00:00Z", List.of("B1"));
        }
        List<Row> customers = new ArrayList<>();
        for (String c : List.of("a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "r1", "n1", "h1")) {
            customers.add(RowFactory.create(c));
        }
        return new RecommendInputs(
                spark.createDataFrame(customers, new StructType().add("customer_id", DataTypes.StringType)),
                spark.createDataFrame(p.orders.stream().map(RowFactory::create).toList(), Entity.ORDERS.typedSchema()),
                spark.createDataFrame(p.items.stream().map(RowFactory::create).toList(), Entity.ORDER_ITEMS.typedSchema()));
    }

    private static List<String> without(List<String> group, int i) {
        return group.stream().filter(x -> !x.endsWith(String.valueOf(i))).toList();
    }

    private void order(String customer, String ts, List<String> products) {
        String id = "O" + (orders.size() + 1);
        orders.add(new Object[]{id, customer, Timestamp.from(Instant.parse(ts)), "web", "completed", "USD", BigDecimal.TEN});
        for (int line = 0; line < products.size(); line++) {
            items.add(new Object[]{id, line + 1, products.get(line), 1, BigDecimal.ONE, BigDecimal.ZERO});
        }
    }

    /** Small and fast ALS settings; fixed seed. */
    static RecommendParams params(boolean excludePurchased) {
        return new RecommendParams(4, 3, 0.1, 10.0, 90.0, 2, excludePurchased, 28, 2, 7L, 90);
    }
}
