package io.crmlake.models;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * Model versions that a re-run reproduces: the model name, the as-of date and a short hash of the
 * parameters, e.g. {@code als-2026-11-01-3f2a9c1e}. Re-running a night with the same parameters
 * gives the same version, so its rows replace rather than sit beside the first run's.
 */
public final class ModelVersion {
    private ModelVersion() {}

    public static String of(String modelName, LocalDate asOf, Object params) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(params).getBytes(StandardCharsets.UTF_8));
            return modelName + "-" + asOf + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
