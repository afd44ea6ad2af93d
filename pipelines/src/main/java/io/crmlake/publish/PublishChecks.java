package io.crmlake.publish;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;

/**
 * ops.publish_checks: every circuit-breaker check of every publish run (appended), with whether
 * an operator forced the export past a failed one and why.
 */
public final class PublishChecks {
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("batch_date", DataTypes.DateType)
            .add("checked_at", DataTypes.TimestampType)
            .add("check", DataTypes.StringType)
            .add("passed", DataTypes.BooleanType)
            .add("detail", DataTypes.StringType)
            .add("forced", DataTypes.BooleanType)
            .add("force_reason", DataTypes.StringType);

    private PublishChecks() {}

    public static void append(Lakehouse lakehouse, String runId, LocalDate batchDate, List<CircuitBreaker.Check> checks,
                              boolean forced, String reason) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        for (CircuitBreaker.Check c : checks) {
            boolean overridden = forced && !c.passed();
            rows.add(RowFactory.create(runId, Date.valueOf(batchDate), now, c.name(), c.passed(), c.detail(), overridden,
                    overridden ? reason : null));
        }
        lakehouse.createIfMissing(Table.PUBLISH_CHECKS, SCHEMA);
        lakehouse.spark().createDataFrame(rows, SCHEMA).coalesce(1).write().format("delta").mode("append")
                .save(lakehouse.path(Table.PUBLISH_CHECKS));
        lakehouse.register(Table.PUBLISH_CHECKS);
    }
}
