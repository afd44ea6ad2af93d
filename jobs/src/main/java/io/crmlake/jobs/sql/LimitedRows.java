package io.crmlake.jobs.sql;

import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.sql.Dataset;

/**
 * The rows of a result up to a limit, fetched partition by partition (toLocalIterator), so that an
 * unlimited csv or json export never has to fit in the driver's memory. One row beyond the limit is
 * asked for, which tells whether the limit left rows out without counting the whole result.
 */
final class LimitedRows<T> implements Iterator<T> {
    private final Iterator<T> rows;
    private final int limit;
    private long returned;

    private LimitedRows(Iterator<T> rows, int limit) {
        this.rows = rows;
        this.limit = limit;
    }

    /** {@code limit} 0 means every row. Limits keep the order of an ORDER BY. */
    static <T> LimitedRows<T> of(Dataset<T> result, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (all) or positive: " + limit);
        }
        // No result has Integer.MAX_VALUE rows to leave out, and limit + 1 would overflow.
        Dataset<T> fetched = limit == 0 || limit == Integer.MAX_VALUE ? result : result.limit(limit + 1);
        return new LimitedRows<>(fetched.toLocalIterator(), limit);
    }

    @Override
    public boolean hasNext() {
        return (limit == 0 || returned < limit) && rows.hasNext();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        returned++;
        return rows.next();
    }

    long returned() {
        return returned;
    }

    /** After iterating: whether rows beyond the limit exist. */
    boolean truncated() {
        return limit > 0 && returned == limit && rows.hasNext();
    }
}
