package io.crmlake.clean;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Phone numbers to E.164 digits with libphonenumber, which knows every country's dialling rules. */
public final class PhoneNumbers {
    private PhoneNumbers() {}

    /**
     * E.164 digits without the "+" (e.g. 442079460958 for a London number), or null when the
     * value is empty or cannot be a phone number. {@code region} (ISO alpha-2) reads national
     * numbers; without it only international ones (+…, 00…) are read.
     */
    public static String normalise(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        if (value.startsWith("00")) {
            value = "+" + value.substring(2);
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            PhoneNumber number = util.parse(value, region == null ? "ZZ" : region);
            if (!util.isPossibleNumber(number)) {
                return null;
            }
            return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
