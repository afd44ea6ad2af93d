package io.crmlake.lakehouse;

import java.util.ConcurrentModificationException;
import java.util.function.Supplier;

/**
 * Runs a read-then-commit step again when another writer committed to the same Delta table first.
 * Delta's optimistic concurrency refuses such a commit with a subclass of
 * {@link ConcurrentModificationException} (ConcurrentAppendException, ProtocolChangedException,
 * ...) and leaves the table as the other writer left it, so the step must read again and redo its
 * work, not just re-send its commit. That happens when jobs of one night run in parallel (the
 * scheduler runs the four model jobs at once, and all of them write gold.model_registry), or
 * when two of them create the same table on a first night.
 */
public final class ConflictRetry {
    /** Attempts in all; the jobs that share a table are few, so a handful is plenty. */
    static final int ATTEMPTS = 5;

    private ConflictRetry() {}

    public static <T> T run(String what, Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (ConcurrentModificationException e) {
                if (attempt >= ATTEMPTS) {
                    throw new IllegalStateException(what + ": another writer committed first " + attempt
                            + " times in a row; giving up (" + e.getMessage() + ")", e);
                }
                sleepBeforeRetry(attempt);
            }
        }
    }

    public static void run(String what, Runnable step) {
        run(what, () -> {
            step.run();
            return null;
        });
    }

    /** Spreads the writers apart: 0.2-0.4 s, then doubling, with jitter so they do not collide again. */
    private static void sleepBeforeRetry(int attempt) {
        long base = 200L << (attempt - 1);
        try {
            Thread.sleep(base + (long) (Math.random() * base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a Delta commit", e);
        }
    }
}
