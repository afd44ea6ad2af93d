package io.crmlake.clean;

/** A batch whose share of quarantined rows for one entity is above the configured maximum. */
public class QualityGateError extends RuntimeException {
    public QualityGateError(String message) {
        super(message);
    }
}
