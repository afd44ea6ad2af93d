package io.crmlake.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.crmlake.config.PublishSettings;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.models.propensity.PropensityBatch;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.ops.JobRun;

/**
 * The checks publish runs before it sends anything: does the night look right?
 *
 * <ul>
 * <li>upstream: the latest run of every job that feeds gold.customer_scores for the date
 *     ({@link #UPSTREAM}) succeeded, per ops.job_runs (a failed quality gate fails clean);</li>
 * <li>volume_&lt;entity&gt;: the rows landed that day (ops.dq_results) lie within the configured
 *     factors of the median of the earlier days in the window; not checked until enough earlier
 *     days exist, since a first full export is no measure of a normal day;</li>
 * <li>psi_purchase_probability: the population stability index of tonight's propensity scores
 *     against the previous scored date's is at most max-psi.</li>
 * </ul>
 */
public final class CircuitBreaker {
    /** The jobs whose output gold.customer_scores is made of, in pipeline order. */
    public static final List<String> UPSTREAM = List.of("ingest", "clean", "features", "segment", "propensity",
            "recommend", "scores");

    /** One check's verdict, with what was measured in words. */
    public record Check(String name, boolean passed, String detail) {}

    private final Lakehouse lakehouse;
    private final PublishSettings.Breaker settings;

    public CircuitBreaker(Lakehouse lakehouse, PublishSettings.Breaker settings) {
        this.lakehouse = lakehouse;
        this.settings = settings;
    }

    public List<Check> evaluate(LocalDate asOf) {
        List<Check> checks = new ArrayList<>();
        checks.add(upstream(asOf));
        for (String entity : settings.volumeEntities()) {
            checks.add(volume(entity, asOf));
        }
        checks.add(scoreStability(asOf));
        return checks;
    }

    Check upstream(LocalDate asOf) {
        Map<String, Row> latest = new HashMap<>();
        if (lakehouse.exists(Table.JOB_RUNS)) {
            lakehouse.read(Table.JOB_RUNS)
                    .where(col("batch_date").equalTo(lit(Date.valueOf(asOf))).and(col("job").isin(UPSTREAM.toArray())))
                    .withColumn("n", row_number().over(Window.partitionBy("job").orderBy(col("finished_at").desc())))
                    .where(col("n").equalTo(1))
                    .collectAsList()
                    .forEach(r -> latest.put(r.getAs("job"), r));
        }
        List<String> problems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String job : UPSTREAM) {
            Row r = latest.get(job);
            if (r == null) {
                problems.add(job + " has not run for " + asOf);
            } else if (JobRun.SKIPPED.equals(r.getAs("status"))) {
                // A model the history cannot train yet: its columns stay empty, the rest goes out.
                skipped.add(job);
            } else if (!JobRun.SUCCEEDED.equals(r.getAs("status"))) {
                problems.add(job + " failed: " + r.getAs("message"));
            }
        }
        return problems.isEmpty()
                ? new Check("upstream", true, "every upstream job succeeded for " + asOf
                        + (skipped.isEmpty() ? "" : " or was skipped (" + String.join(", ", skipped) + ")"))
                : new Check("upstream", false, String.join("; ", problems));
    }

    Check volume(String entity, LocalDate asOf) {
        String name = "volume_" + entity;
        if (!lakehouse.exists(Table.DQ_RESULTS)) {
            return new Check(name, false, "ops.dq_results does not exist: run clean first");
        }
        Map<LocalDate, Long> landed = new HashMap<>();
        lakehouse.read(Table.DQ_RESULTS)
                .where(col("entity").equalTo(entity)
                        .and(col("batch_date").between(Date.valueOf(asOf.minusDays(settings.volumeHistoryDays())),
                                Date.valueOf(asOf))))
                .groupBy("batch_date").agg(max("total_rows"))
                .collectAsList()
                .forEach(r -> landed.put(r.getDate(0).toLocalDate(), r.getLong(1)));
        Long today = landed.remove(asOf);
        if (today == null) {
            return new Check(name, false, "no " + entity + " rows recorded for " + asOf + " in ops.dq_results");
        }
        if (landed.size() < settings.volumeMinHistory()) {
            return new Check(name, true, String.format("%,d %s rows; only %d earlier days, fewer than %d: not compared",
                    today, entity, landed.size(), settings.volumeMinHistory()));
        }
        double median = median(new ArrayList<>(landed.values()));
        double low = settings.volumeLow() * median;
        double high = settings.volumeHigh() * median;
        boolean ok = today >= low && today <= high;
        return new Check(name, ok, String.format("%,d %s rows against a median of %,.0f over %d earlier days "
                + "(allowed %,.0f to %,.0f)", today, entity, median, landed.size(), low, high));
    }

    Check scoreStability(LocalDate asOf) {
        String name = "psi_purchase_probability";
        boolean scored = lakehouse.exists(Table.PURCHASE_PROPENSITY) && !lakehouse.read(Table.PURCHASE_PROPENSITY)
                .where(col("as_of_date").equalTo(lit(Date.valueOf(asOf)))).isEmpty();
        if (!scored && new ModelRegistry(lakehouse).skippedOn(PropensityBatch.MODEL, asOf)) {
            return new Check(name, true, "propensity was skipped for " + asOf + ": no scores to compare");
        }
        if (!lakehouse.exists(Table.PURCHASE_PROPENSITY)) {
            return new Check(name, false, "gold.purchase_propensity does not exist: run propensity first");
        }
        Dataset<Row> scores = lakehouse.read(Table.PURCHASE_PROPENSITY);
        Row previous = scores.where(col("as_of_date").lt(lit(Date.valueOf(asOf)))).agg(max("as_of_date")).first();
        if (previous.isNullAt(0)) {
            return new Check(name, true, "no scores before " + asOf + ": nothing to compare with");
        }
        Dataset<Row> tonight = scores.where(col("as_of_date").equalTo(lit(Date.valueOf(asOf))));
        if (tonight.isEmpty()) {
            return new Check(name, false, "no purchase_propensity scores for " + asOf);
        }
        double psi = PopulationStability.psi(scores.where(col("as_of_date").equalTo(lit(previous.getDate(0)))), tonight,
                "probability", 10);
        return new Check(name, psi <= settings.maxPsi(), String.format("PSI %.4f against %s (max %.2f)", psi,
                previous.getDate(0), settings.maxPsi()));
    }

    private static double median(List<Long> values) {
        values.sort(Long::compare);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
    }
}
