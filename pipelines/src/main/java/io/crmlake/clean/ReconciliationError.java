package io.crmlake.clean;

/** Rows landed and rows accounted for (silver, quarantine, duplicates) do not add up. */
public class ReconciliationError extends RuntimeException {
    public ReconciliationError(String message) {
        super(message);
    }
}
