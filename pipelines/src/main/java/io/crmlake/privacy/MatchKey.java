package io.crmlake.privacy;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The email match key that gold.customer_scores and its exports carry instead of the address:
 * the lower-case hex SHA-256 of the UTF-8 bytes of the salt followed by the normalised email
 * (trimmed, lower-case, as silver stores it). A downstream CRM that was given the salt computes
 * the same key from its own contacts and matches on it; without the salt the key reveals nothing
 * a dictionary of addresses would. Null when the customer has no valid email or no salt is set.
 *
 * <p>The salt is a secret: the key is computed in a UDF that holds it, so it never appears in a
 * query plan, an EXPLAIN or an error message (a literal would).
 */
public final class MatchKey {
    public static final String COLUMN = "email_sha256";

    private MatchKey() {}

    /** The key of one email, or null for a null or empty email. */
    public static String of(String salt, String normalisedEmail) {
        if (normalisedEmail == null || normalisedEmail.isEmpty()) {
            return null;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(normalisedEmail.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The key column for a column of normalised emails; null for every row without a salt. */
    public static Column column(Column normalisedEmail, Optional<String> salt) {
        if (salt.isEmpty()) {
            return lit(null).cast(DataTypes.StringType);
        }
        String s = salt.get();
        UserDefinedFunction key = udf((UDF1<String, String>) email -> of(s, email), DataTypes.StringType)
                .withName("email_match_key");
        return key.apply(normalisedEmail);
    }
}
