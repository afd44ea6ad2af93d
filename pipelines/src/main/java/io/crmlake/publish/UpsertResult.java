package io.crmlake.publish;

/**
 * What one upsert did: rows sent to the database, of which new keys inserted and stored rows
 * updated because a value changed (the rest were already stored as sent), and stored rows deleted
 * in the same transaction ({@link JdbcUpsert.Deletion}).
 */
public record UpsertResult(long rowsSent, long inserted, long updated, long deleted) {
    /** An upsert that deleted nothing. */
    public UpsertResult(long rowsSent, long inserted, long updated) {
        this(rowsSent, inserted, updated, 0);
    }

    public long unchanged() {
        return rowsSent - inserted - updated;
    }
}
