package io.crmlake.models.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Model versions derived from what defines a model: the date of the data it was trained on and
 * its parameters, e.g. {@code 20261101-3fa2c9d1}. Re-training the same date with the same
 * parameters gives the same version, so a re-run finds the model it already registered.
 */
public final class ModelVersions {
    private ModelVersions() {}

    public static String of(LocalDate trainedOn, String paramsJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(paramsJson.getBytes(StandardCharsets.UTF_8));
            return trainedOn.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
