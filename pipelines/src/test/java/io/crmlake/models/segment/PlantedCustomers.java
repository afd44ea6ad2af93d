package io.crmlake.models.segment;

import java.math.BigDecimal;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * gold.customer_features rows (the segment features, with their contract types) of four planted
 * groups of ten customers, far apart and tight inside, with a little jitter per customer:
 * <ul>
 * <li>champ-N: bought 3-6 days ago, 18-22 orders, about 1,900 spent, 5-7 orders in 90 days,
 *     700 days a customer (champ-9 has no sign-up date: tenure null), opens 60% of mails.</li>
 * <li>risk-N: last order 190-217 days ago, 14-16 orders, about 1,450 spent, none lately, 900 days,
 *     two service tickets lately.</li>
 * <li>hib-N: one order of about 50, 290-308 days ago, 650 days a customer, no mails.</li>
 * <li>new-N: signed up 5-14 days ago, never bought (recency, averages and rates null).</li>
 * </ul>
 */
final class PlantedCustomers {
    static final Date AS_OF = Date.valueOf("2026-11-01");
    static final List<String> GROUPS = List.of("champ", "risk", "hib", "new");
    static final int PER_GROUP = 10;

    private static final DataType MONEY = DataTypes.createDecimalType(14, 2);
    private static final DataType AVG_MONEY = DataTypes.createDecimalType(12, 2);
    static final StructType SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType, false)
            .add("as_of_date", DataTypes.DateType, false)
            .add("recency_days", DataTypes.IntegerType)
            .add("frequency", DataTypes.LongType)
            .add("monetary", MONEY)
            .add("avg_order_value", AVG_MONEY)
            .add("tenure_days", DataTypes.IntegerType)
            .add("orders_90d", DataTypes.LongType)
            .add("email_open_rate", DataTypes.DoubleType)
            .add("email_click_rate", DataTypes.DoubleType)
            .add("tickets_90d", DataTypes.LongType)
            .add("return_rate", DataTypes.DoubleType);

    private PlantedCustomers() {}

    static String group(String customerId) {
        return customerId.substring(0, customerId.indexOf('-'));
    }

    static Dataset<Row> features(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < PER_GROUP; i++) {
            long f = 18 + i % 5;
            double m = 1800 + 20 * i;
            rows.add(row("champ-" + i, 3 + i % 4, f, m, m / f, i == 9 ? null : 700 + 5 * i, 5L + i % 3,
                    0.6 + 0.01 * i, 0.2, 0L, 0.02));
            f = 14 + i % 3;
            m = 1400 + 10 * i;
            rows.add(row("risk-" + i, 190 + 3 * i, f, m, m / f, 900 + 5 * i, 0L, 0.1, 0.01, 2L, 0.1));
            m = 40 + 2 * i;
            rows.add(row("hib-" + i, 290 + 2 * i, 1L, m, m, 650 + 5 * i, 0L, null, null, 0L, 0.0));
            rows.add(row("new-" + i, null, 0L, 0.0, null, 5 + i, 0L, null, null, 0L, null));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Row row(String id, Integer recency, Long frequency, Double monetary, Double aov, Integer tenure,
                           Long orders90, Double open, Double click, Long tickets, Double returns) {
        return RowFactory.create(id, AS_OF, recency, frequency, money(monetary), money(aov), tenure, orders90,
                open, click, tickets, returns);
    }

    private static BigDecimal money(Double v) {
        return v == null ? null : BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP);
    }
}
