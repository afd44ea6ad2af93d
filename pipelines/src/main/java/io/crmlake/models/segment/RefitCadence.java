package io.crmlake.models.segment;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.crmlake.models.registry.RegistryEntry;

/**
 * Decides whether a night refits the segment model or scores with a saved one. Refitting every
 * night would move customers between segments for no behavioural reason, so a saved model scores
 * until it is {@code retrainEveryDays} old. In order:
 * <ol>
 * <li>the version of this date and parameters is registered: a re-run, it scores again;</li>
 * <li>the current model was trained fewer than {@code retrainEveryDays} before the date: it scores;</li>
 * <li>otherwise (no current model, too old, or registered before names were kept so it cannot
 *     score): refit.</li>
 * </ol>
 */
record RefitCadence(int retrainEveryDays) {

    /**
     * @param scoreWith the saved version that scores, or empty to refit
     * @param reason    why, in words for the job's progress and the registry note
     */
    record Decision(Optional<RegistryEntry> scoreWith, String reason) {
        boolean refit() {
            return scoreWith.isEmpty();
        }
    }

    RefitCadence {
        if (retrainEveryDays < 1) {
            throw new IllegalArgumentException("retrainEveryDays must be positive, not " + retrainEveryDays);
        }
    }

    /**
     * @param version    the version a refit tonight would get
     * @param registered the registry entry of {@code version}, if any
     * @param current    the current segment model's entry, if any
     */
    Decision decide(LocalDate asOf, String version, Optional<RegistryEntry> registered, Optional<RegistryEntry> current) {
        if (registered.filter(RegisteredSegmentModel::hasNames).isPresent()) {
            return new Decision(registered, "version " + version
                    + " already registered for this date and parameters: scored with it, not refitted");
        }
        if (current.isEmpty()) {
            return new Decision(Optional.empty(), "no current segment model");
        }
        RegistryEntry c = current.get();
        if (!RegisteredSegmentModel.hasNames(c)) {
            return new Decision(Optional.empty(), "current model " + c.modelVersion()
                    + " has no saved segment names (registered before segment models were kept between refits)");
        }
        long age = ChronoUnit.DAYS.between(c.asOfDate(), asOf);
        String trained = "current model " + c.modelVersion() + " trained on " + c.asOfDate();
        String cadence = " (refit every " + retrainEveryDays + " days)";
        if (age < retrainEveryDays) {
            return new Decision(current, "scored with " + trained + cadence + ": not refitted");
        }
        return new Decision(Optional.empty(), trained + ", " + age + " days before" + cadence);
    }
}
