package io.crmlake.models.propensity;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import io.crmlake.features.FeatureInputs;
import io.crmlake.schema.Entity;

/**
 * 120 customers signed up on 2025-06-01, in three groups by id modulo 3: 0 "regular" (an order
 * every 7 days), 1 "lapsed" (every 7 days until 200 days before the batch date), 2 "monthly" (every
 * 30 days). Orders continue 60 days past the batch date, so tests can check nothing after a
 * cut-off leaks in.
 */
final class PlantedHistory {
    private PlantedHistory() {}

    static FeatureInputs inputs(SparkSession spark, LocalDate batch) {
        List<Row> customers = new ArrayList<>();
        List<Row> orders = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String id = String.format("C%03d", i);
            customers.add(RowFactory.create(id, null, null, null, null, null, null, null, "US",
                    Date.valueOf("2025-06-01"), i % 2 == 0, Timestamp.valueOf("2025-06-01 00:00:00")));
            int group = i % 3;
            LocalDate last = group == 1 ? batch.minusDays(200) : batch.plusDays(60);
            int every = group == 2 ? 30 : 7;
            int n = 0;
            for (LocalDate d = LocalDate.parse("2025-07-01").plusDays(i % 7); !d.isAfter(last); d = d.plusDays(every)) {
                orders.add(RowFactory.create(id + "-" + n++, id,
                        Timestamp.from(d.atTime(12, 0).toInstant(ZoneOffset.UTC)), "web", "completed", "USD",
                        new BigDecimal("25.00")));
            }
        }
        return new FeatureInputs(
                spark.createDataFrame(customers, Entity.CUSTOMERS.typedSchema()),
                spark.createDataFrame(orders, Entity.ORDERS.typedSchema()),
                empty(spark, Entity.ORDER_ITEMS), empty(spark, Entity.PRODUCTS), empty(spark, Entity.INTERACTIONS),
                empty(spark, Entity.TICKETS));
    }

    private static Dataset<Row> empty(SparkSession spark, Entity e) {
        return spark.createDataFrame(List.of(), e.typedSchema());
    }
}
