package io.crmlake.lakehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs independent table operations (writes of different Delta tables) from a few threads of the
 * one Spark session. On a small day most of a Delta write is driver latency (planning, reading
 * the log, committing), not tasks, so overlapping a few of them keeps the cores busy; on a big
 * day the writes share the executors as Spark's scheduler decides.
 *
 * <p>The threads are started by the calling thread, so they inherit its Spark job group and
 * local properties (the run id in the Spark UI and event log) and its active session. Results
 * come back in the order of the inputs; every operation runs to its end even when another
 * failed, and the first failure in input order is then rethrown as it was thrown.
 */
public final class Concurrently {
    /** At most this many table operations at once: more only queue on the driver. */
    public static final int THREADS = 3;

    private Concurrently() {}

    public static <T, R> List<R> map(List<T> inputs, Function<T, R> operation) {
        if (inputs.size() <= 1) {
            return inputs.stream().map(operation).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, inputs.size()), r -> {
            Thread t = new Thread(r, "crmlake-table-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T input : inputs) {
                futures.add(pool.submit(() -> operation.apply(input)));
            }
            List<R> results = new ArrayList<>();
            Throwable first = null;
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for table writes", e);
                }
            }
            if (first != null) {
                throw rethrow(first);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Throws {@code e} unchanged, checked or not: Scala code throws checked exceptions undeclared,
     * and callers tell failures apart by their type. Declared to return so that callers can write
     * {@code throw rethrow(e)}.
     */
    public static RuntimeException rethrow(Throwable e) {
        return Concurrently.<RuntimeException>sneaky(e);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
