package io.crmlake.publish;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.crmlake.config.PublishSettings;
import io.crmlake.lakehouse.Lakehouse;
import io.crmlake.lakehouse.Table;
import io.crmlake.scores.ScoresHeld;

/**
 * The publish job for one date: circuit breaker first, then every export target in turn.
 *
 * <ol>
 * <li>gold.customer_scores is pinned at its latest version, which must hold the batch date's
 *     scores ({@link ScoresHeld}). When it holds a later date (a backfill or a re-run of a past
 *     day) there is nothing to publish: that day's export was sent when it was current and stays.
 *     When it holds an earlier date, scores has not run for this one: refused.</li>
 * <li>The {@link CircuitBreaker}'s checks are recorded in ops.publish_checks; when one fails the
 *     run is refused (nothing sent, the last good exports stay) unless forced, with a reason.</li>
 * <li>Per target: a full export the first time, with {@code --full}, or when changes-only is off;
 *     otherwise the rows {@link ScoreChanges} selects from the commits since the target's last
 *     exported version, with the ids of the customers deleted in those commits (an erasure), which
 *     the target deletes too (nothing at all when the table has not changed since). A full export
 *     reads no history (it must work when the change feed is gone): its rows are the whole table,
 *     so whoever is not in them is deleted. After the target has taken the export,
 *     ops.export_state records the version; a target that fails keeps its old state, so the next
 *     run sends the same changes and deletions again.</li>
 * </ol>
 */
public final class PublishBatch {
    /** How publish was asked to run. */
    public record Options(boolean full, boolean force, String forceReason) {}

    /**
     * What one target received. {@code mode} is full, changes or unchanged; {@code deletions} the
     * customer ids it was told to delete (always 0 in a full export, which deletes by omission).
     */
    public record Sent(String target, String mode, long rows, long deletions, String where) {}

    public record Outcome(long tableVersion, List<CircuitBreaker.Check> checks, List<Sent> sent) {}

    private final Lakehouse lakehouse;
    private final PublishSettings settings;
    private final List<ExportTarget> targets;

    public PublishBatch(Lakehouse lakehouse, PublishSettings settings, List<ExportTarget> targets) {
        this.lakehouse = lakehouse;
        this.settings = settings;
        this.targets = List.copyOf(targets);
    }

    public Outcome run(LocalDate asOf, String runId, Options options, Consumer<String> progress) {
        if (!lakehouse.exists(Table.CUSTOMER_SCORES)) {
            throw new PublishRefused("gold.customer_scores does not exist in " + lakehouse.root()
                    + ": run `crmlake scores --date " + asOf + "` first");
        }
        SparkSession spark = lakehouse.spark();
        String path = lakehouse.path(Table.CUSTOMER_SCORES);
        long version = lakehouse.delta(Table.CUSTOMER_SCORES).history(1).first().<Long>getAs("version");
        Dataset<Row> current = spark.read().format("delta").option("versionAsOf", version).load(path);
        Optional<LocalDate> scoredFor = ScoresHeld.date(lakehouse);
        if (scoredFor.filter(d -> d.isAfter(asOf)).isPresent()) {
            // A backfill or a re-run of a past day: its export was sent when the day was current,
            // and the table now holds later scores, which that day's export must not carry.
            progress.accept("gold.customer_scores holds the later date " + scoredFor.get() + "; the export of " + asOf
                    + " stays as it was sent: nothing to publish");
            return new Outcome(version, List.of(), List.of());
        }
        if (!scoredFor.equals(Optional.of(asOf))) {
            throw new PublishRefused("gold.customer_scores holds the scores of " + scoredFor.map(LocalDate::toString)
                    .orElse("no date") + " (the latest successful scores run in ops.job_runs), not of " + asOf
                    + ": run `crmlake scores --date " + asOf + "` first (publish sends the latest scores)");
        }

        List<CircuitBreaker.Check> checks = new CircuitBreaker(lakehouse, settings.breaker()).evaluate(asOf);
        List<CircuitBreaker.Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        String reason = options.forceReason() == null || options.forceReason().isBlank()
                ? "forced without a reason" : options.forceReason();
        PublishChecks.append(lakehouse, runId, asOf, checks, options.force(), reason);
        checks.forEach(c -> progress.accept("check " + c.name() + (c.passed() ? " passed: " : " FAILED: ") + c.detail()));
        if (!failed.isEmpty()) {
            String what = String.join("; ", failed.stream().map(c -> c.name() + ": " + c.detail()).toList());
            if (!options.force()) {
                throw new PublishRefused("publish refused for " + asOf + ", the last good export stays: " + what
                        + " (see ops.publish_checks; to send anyway: publish --force --reason \"...\")");
            }
            progress.accept("forced past failed checks (" + reason + "): " + what);
        }

        ExportState state = new ExportState(lakehouse);
        List<Sent> sent = new ArrayList<>();
        for (ExportTarget target : targets) {
            sent.add(send(target, state, current, path, version, asOf, runId, options, progress));
        }
        return new Outcome(version, checks, sent);
    }

    private Sent send(ExportTarget target, ExportState state, Dataset<Row> current, String path, long version,
                      LocalDate asOf, String runId, Options options, Consumer<String> progress) {
        Optional<ExportState.Entry> last = state.last(target.name());
        boolean full = options.full() || !settings.changesOnly() || last.isEmpty();
        if (!full && last.get().tableVersion() == version) {
            progress.accept(target.name() + ": nothing changed since version " + version + ", exported "
                    + last.get().exportedAt() + "; nothing sent");
            return new Sent(target.name(), "unchanged", 0, 0, "");
        }
        Dataset<Row> rows;
        Dataset<Row> deletedIds;
        String mode;
        if (full) {
            rows = current;
            deletedIds = ScoreChanges.noneDeleted(lakehouse.spark());
            mode = "full";
        } else {
            long from = last.get().tableVersion();
            Dataset<Row> previous = lakehouse.spark().read().format("delta").option("versionAsOf", from).load(path);
            Dataset<Row> changeFeed = ScoreChanges.changeFeed(lakehouse.spark(), path, from, version);
            rows = ScoreChanges.toSend(current, ScoreChanges.touched(changeFeed), previous, settings.materialColumns());
            deletedIds = ScoreChanges.deleted(changeFeed, current);
            mode = "changes";
        }
        // Counted, then sent: one computation of the change set and of the deletions.
        rows = rows.localCheckpoint();
        deletedIds = deletedIds.localCheckpoint();
        long count = rows.count();
        long deletions = deletedIds.count();
        String where = target.send(new ExportTarget.Export(asOf, full, rows, deletedIds));
        state.record(new ExportState.Entry(target.name(), version, asOf, Instant.now(), mode, count, deletions, runId));
        progress.accept(String.format("%s: %,d rows and %,d deletions (%s%s) to %s", target.name(), count, deletions,
                mode, full ? "" : " since version " + last.get().tableVersion(), where));
        return new Sent(target.name(), mode, count, deletions, where);
    }
}
