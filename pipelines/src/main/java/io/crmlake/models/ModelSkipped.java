package io.crmlake.models;

/**
 * A model job that cannot produce anything tonight for a reason of the data, not of the code or
 * the configuration: history shorter than the model needs, one class only, no baskets, no
 * purchases. The model's registry row says {@code skipped} with the reason; the job runner records
 * the job as skipped and the night goes on (a real error still fails it).
 */
public final class ModelSkipped extends RuntimeException {
    public ModelSkipped(String reason) {
        super(reason);
    }
}
