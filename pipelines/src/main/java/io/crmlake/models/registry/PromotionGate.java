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
        if (Double.isNaN(current)) {
            return new Decision(true, String.format("%s %.4f; the current model could not be measured", metric, candidate));
        }
        if (Double.isNaN(candidate)) {
            return new Decision(false, String.format("%s could not be measured for the candidate (current %.4f)", metric, current));
        }
        boolean ok = candidate >= current - tolerance;
        return new Decision(ok, String.format("%s %.4f vs current %.4f on the same validation data (tolerance %.4f)%s",
                metric, candidate, current, tolerance, ok ? "" : ": worse, current model kept"));
    }
}
