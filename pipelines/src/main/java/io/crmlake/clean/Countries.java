package io.crmlake.clean;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Country names and codes → ISO 3166-1 alpha-2, from the JDK's own country list (alpha-2,
 * alpha-3 and English names) plus the aliases CRM users type most. Keys are upper-case without dots.
 */
final class Countries {
    private static final Map<String, String> ALIASES = Map.of(
            "USA", "US", "UNITED STATES OF AMERICA", "US", "AMERICA", "US",
            "UK", "GB", "GREAT BRITAIN", "GB", "ENGLAND", "GB",
            "DEUTSCHLAND", "DE", "HOLLAND", "NL", "ESPANA", "ES", "ITALIA", "IT");

    private static final Map<String, String> LOOKUP = build();

    private Countries() {}

    static Map<String, String> lookup() {
        return LOOKUP;
    }

    private static Map<String, String> build() {
        Map<String, String> m = new TreeMap<>();
        for (String iso2 : Locale.getISOCountries()) {
            Locale l = new Locale("", iso2);
            m.put(iso2, iso2);
            m.put(l.getISO3Country().toUpperCase(Locale.ROOT), iso2);
            m.put(l.getDisplayCountry(Locale.ENGLISH).toUpperCase(Locale.ROOT).replace(".", ""), iso2);
        }
        m.putAll(ALIASES);
        return m;
    }
}
