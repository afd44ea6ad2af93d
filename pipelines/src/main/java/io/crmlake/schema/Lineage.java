package io.crmlake.schema;

/** Names of the lineage columns that bronze and silver rows carry next to the canonical ones. */
public final class Lineage {
    /** Path of the landed file the row came from. */
    public static final String SOURCE_FILE = "_source_file";
    /** Batch (business) date of the export the row arrived in. */
    public static final String BATCH_DATE = "_batch_date";
    /** Id of the job run that wrote the row. */
    public static final String RUN_ID = "_run_id";
    /** When the row was written to bronze (UTC). */
    public static final String INGESTED_AT = "_ingested_at";
    /** Columns an export carried that the source mapping does not know, as a JSON object. */
    public static final String RESCUED = "_rescued";
    /**
     * The record as the parser saw it when it could not be split into the header's fields (too
     * many or too few fields, an unbalanced quote, a JSON line that is not an object); else null.
     */
    public static final String MALFORMED = "_malformed";
    /** Hash of a silver row's canonical columns: tells a changed re-delivery from a repeat. */
    public static final String ROW_HASH = "_row_hash";

    private Lineage() {}
}
