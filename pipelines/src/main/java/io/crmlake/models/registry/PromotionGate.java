package io.crmlake.models.registry;

/**
 * Decides whether a retrained model may replace the current one: only when its metric on the
 * same validation data is no worse than the current model's, within a tolerance. A candidate that
 * cannot be measured (NaN) never replaces a measured current model.
 */
public record PromotionGate(String metric, double tolerance) {

    /** The decision and its reason, in words for the registry's note. */
    public record Decision(boolean promote, String reason) {}

    public Decision decide(double candidate, double current) {
        return decide(candidate, current, "current");
    }

    /**
     * The same rule against any reference measured on the same data, {@code against} naming it
     * in the reason (e.g. "current", "popularity baseline").
     */
    public Decision decide(double candidate, double reference, String against) {
        if (Double.isNaN(reference)) {
            return new Decision(true, String.format("%s %.4f; the %s could not be measured", metric, candidate, against));
        }
        if (Double.isNaN(candidate)) {
            return new Decision(false, String.format("%s could not be measured for the candidate (%s %.4f)", metric,
                    against, reference));
        }
        boolean ok = candidate >= reference - tolerance;
        return new Decision(ok, String.format("%s %.4f vs %s %.4f on the same validation data (tolerance %.4f)%s",
                metric, candidate, against, reference, tolerance, ok ? "" : ": worse, candidate rejected"));
    }
}
