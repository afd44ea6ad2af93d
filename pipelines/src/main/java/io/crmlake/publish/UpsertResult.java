package io.crmlake.publish;

/**
 * What one upsert did: rows sent to the database, of which new keys inserted and stored rows
 * updated because a value changed; the rest were already stored as sent.
 */
public record UpsertResult(long rowsSent, long inserted, long updated) {
    public long unchanged() {
        return rowsSent - inserted - updated;
    }
}
