package io.crmlake.models.registry;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One row of gold.model_registry: a trained model version, what it was trained with, how it did
 * and whether it is the one that scores.
 *
 * @param status  {@code current} (scores every night), {@code retired} (was current, replaced),
 *                {@code rejected} (a candidate that did worse than the current model), {@code skipped}
 *                (the model could not be trained on the data of that date: note says why; no path)
 * @param note    why the status was given, in words (for a rejection: both metrics and the tolerance)
 */
public record RegistryEntry(String modelName, String modelVersion, Instant trainedAt, LocalDate asOfDate,
                            String params, String metrics, String baselineMetrics, String path, String status,
                            String note) {
    public static final String CURRENT = "current";
    public static final String RETIRED = "retired";
    public static final String REJECTED = "rejected";
    public static final String SKIPPED = "skipped";

    public RegistryEntry withStatus(String newStatus, String newNote) {
        return new RegistryEntry(modelName, modelVersion, trainedAt, asOfDate, params, metrics, baselineMetrics, path,
                newStatus, newNote);
    }
}
