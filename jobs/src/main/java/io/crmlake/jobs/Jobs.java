package io.crmlake.jobs;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.crmlake.clean.CleanBatch;
import io.crmlake.config.PiiSettings;
import io.crmlake.config.PublishSettings;
import io.crmlake.clean.Reconciliation;
import io.crmlake.features.FeatureParams;
import io.crmlake.features.FeaturesBatch;
import io.crmlake.ingest.IngestBatch;
import io.crmlake.ingest.IngestError;
import io.crmlake.ingest.LandingZone;
import io.crmlake.models.basket.BasketBatch;
import io.crmlake.models.propensity.PropensityBatch;
import io.crmlake.models.recommend.RecommendBatch;
import io.crmlake.models.segment.SegmentBatch;
import io.crmlake.models.registry.ModelRegistry;
import io.crmlake.ops.PendingDays;
import io.crmlake.publish.ExportMapping;
import io.crmlake.publish.ExportTarget;
import io.crmlake.publish.FileTarget;
import io.crmlake.publish.JdbcExportTarget;
import io.crmlake.publish.JdbcTarget;
import io.crmlake.publish.PublishBatch;
import io.crmlake.scores.CustomerScoresBatch;
import io.crmlake.schema.Entity;

/** The bodies of the batch jobs, shared by their own commands and by demo. */
final class Jobs {
    private Jobs() {}

    static JobRunner.Counts ingest(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("ingest", date, (runId, progress) -> {
            LandingZone landing = landing(env);
            var ingested = new IngestBatch(env.lakehouse, landing, env.mapping,
                    env.settings.ingest().allowMissingMarker(), env.settings.ingest().allowMissingEntity(),
                    env.settings.ingest().extraColumns())
                    .run(date, runId, progress);
            long rows = ingested.entities().stream().mapToLong(IngestBatch.EntityResult::rows).sum();
            return new JobRunner.Counts(ingested.landed(), rows, 0, (env.mapping.invoiceLines().isPresent()
                    ? ingested.landed() + " invoice lines; derived rows per entity: "
                    : "landed rows per entity: ") + perEntity(ingested.entities()));
        });
    }

    static JobRunner.Counts clean(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("clean", date, (runId, progress) -> {
            Map<Entity, Double> gate = new TreeMap<>();
            for (Entity e : Entity.values()) {
                gate.put(e, env.settings.clean().maxQuarantineShare(e));
            }
            var results = new CleanBatch(env.lakehouse, env.mapping,
                    new CleanBatch.Params(env.settings.clean().defaultCountry(), gate)).run(date, runId, progress);
            long in = results.stream().mapToLong(Reconciliation::landed).sum();
            long out = results.stream().mapToLong(r -> r.inserted() + r.updated()).sum();
            long q = results.stream().mapToLong(Reconciliation::quarantined).sum();
            return new JobRunner.Counts(in, out, q, "reconciliation holds for every entity");
        });
    }

    static JobRunner.Counts features(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("features", date, (runId, progress) -> {
            List<LocalDate> pending = PendingDays.before(env.lakehouse, date);
            if (!pending.isEmpty()) {
                throw new IngestError(pending + " ingested but not cleaned, so silver lacks their data: run `crmlake "
                        + "clean --date " + pending.get(0) + "` (or nightly) for them first, in date order");
            }
            long rows = new FeaturesBatch(env.lakehouse, new FeatureParams(env.settings.features().recentDays())).run(date);
            // The four model jobs run next, side by side under Airflow, and all write the registry:
            // created here, before them, so that they never race to create it (Delta refuses a
            // create while another writer's first commit is not yet in place).
            new ModelRegistry(env.lakehouse);
            progress.accept(String.format("gold.customer_features %,d customers as of %s", rows, date));
            return new JobRunner.Counts(rows, rows, 0, "customers with features as of " + date);
        });
    }

    static JobRunner.Counts propensity(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("propensity", date, (runId, progress) -> {
            var outcome = new PropensityBatch(env.lakehouse, ModelSettings.propensity(env.settings)).run(date, progress);
            return new JobRunner.Counts(outcome.scored(), outcome.scored(), 0,
                    "scored by " + outcome.scoringVersion() + "; " + outcome.decision());
        });
    }

    static JobRunner.Counts segment(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("segment", date, (runId, progress) -> {
            var o = new SegmentBatch(env.lakehouse, ModelSettings.segment(env.settings)).run(date, progress);
            return new JobRunner.Counts(o.customers(), o.customers(), 0,
                    String.format("model %s, k = %d, silhouette %.3f, %d moved; %s", o.modelVersion(), o.k(),
                            o.silhouette(), o.moves(), o.decision()));
        });
    }

    static JobRunner.Counts basket(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("basket", date, (runId, progress) -> {
            long rules = new BasketBatch(env.lakehouse, ModelSettings.basket(env.settings),
                    env.settings.models().basket().retrainEveryDays()).run(date, progress);
            return new JobRunner.Counts(rules, rules, 0, rules + " association rules");
        });
    }

    static JobRunner.Counts recommend(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("recommend", date, (runId, progress) -> {
            var o = new RecommendBatch(env.lakehouse, ModelSettings.recommendBatch(env.settings)).run(date, progress);
            return new JobRunner.Counts(o.rows(), o.rows(), 0, o.servingVersion().map(v -> "ALS " + v)
                    .orElse("popular products for everyone"));
        });
    }

    static JobRunner.Counts scores(JobEnvironment env, JobRunner runner, LocalDate date) {
        return runner.run("scores", date, (runId, progress) -> {
            PiiSettings pii = PiiSettings.of(env.settings);
            var o = new CustomerScoresBatch(env.lakehouse, pii.matchKeySalt()).run(date);
            if (o.keptLater().isPresent()) {
                progress.accept("gold.customer_scores holds the later date " + o.keptLater().get()
                        + ": left as it is (it never goes back to an earlier date; run scores for "
                        + o.keptLater().get() + " again to refresh it)");
                return new JobRunner.Counts(0, 0, 0, "left as is: holds " + o.keptLater().get());
            }
            progress.accept(String.format("gold.customer_scores %,d customers: %,d inserted, %,d changed", o.customers(),
                    o.inserted(), o.updated()));
            progress.accept(pii.matchKeySalt().isPresent()
                    ? "email_sha256 keyed with the salt from " + pii.describe()
                    : "email_sha256 left empty, " + pii.describe());
            return new JobRunner.Counts(o.customers(), o.inserted() + o.updated(), 0,
                    o.inserted() + " inserted, " + o.updated() + " changed");
        });
    }

    static JobRunner.Counts publish(JobEnvironment env, JobRunner runner, LocalDate date, PublishBatch.Options options) {
        return runner.run("publish", date, (runId, progress) -> {
            PublishSettings settings = PublishSettings.of(env.settings);
            List<ExportTarget> targets = new ArrayList<>();
            if (settings.files().enabled()) {
                targets.add(new FileTarget(env.settings.exports(), ExportMapping.load(settings.files().mapping())));
            }
            if (settings.jdbcEnabled()) {
                targets.add(new JdbcExportTarget(JdbcTarget.fromConfig(
                        env.settings.raw().getConfig("crmlake.publish.jdbc"), System.getenv())));
            }
            if (targets.isEmpty()) {
                throw new io.crmlake.config.ConfigError("crmlake.publish: no export target is enabled",
                        "set crmlake.publish.files.enabled or crmlake.publish.jdbc.enabled to true");
            }
            var o = new PublishBatch(env.lakehouse, settings, targets).run(date, runId, options, progress);
            long rows = o.sent().stream().mapToLong(PublishBatch.Sent::rows).sum();
            return new JobRunner.Counts(rows, rows, 0, String.join("; ", o.sent().stream()
                    .map(s -> s.target() + " " + s.mode() + " " + s.rows()
                            + (s.deletions() > 0 ? " (" + s.deletions() + " deleted)" : "")).toList()));
        });
    }

    /** Every job of one date, in order, in this session: what nightly and demo run. */
    static void nightly(JobEnvironment env, JobRunner runner, LocalDate date) {
        ingest(env, runner, date);
        clean(env, runner, date);
        features(env, runner, date);
        segment(env, runner, date);
        basket(env, runner, date);
        propensity(env, runner, date);
        recommend(env, runner, date);
        scores(env, runner, date);
        publish(env, runner, date, new PublishBatch.Options(false, false, null));
    }

    static LandingZone landing(JobEnvironment env) {
        LandingZone landing = new LandingZone(env.settings.landing(), env.spark.sparkContext().hadoopConfiguration(),
                env.mapping, env.settings.ingest().successMarker());
        if (!landing.rootExists()) {
            throw new io.crmlake.config.ConfigError("crmlake.landing: folder " + env.settings.landing() + " does not exist",
                    "set crmlake.landing in the configuration or with --set landing=PATH");
        }
        return landing;
    }

    private static String perEntity(java.util.List<IngestBatch.EntityResult> results) {
        StringBuilder sb = new StringBuilder();
        for (var r : results) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.entity().tableName()).append('=').append(r.rows());
        }
        return sb.toString();
    }
}
