package io.crmlake.generate;

import java.util.List;
import java.util.SplittableRandom;

/** Names, places and phone numbers as CRM users type them, in several formats per country. */
final class People {
    static final List<String> COUNTRIES = List.of("US", "US", "US", "GB", "GB", "DE", "FR", "ES", "IT", "NL", "CA");
    private static final String[] FIRST = {"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
            "David", "Elizabeth", "William", "Barbara", "Sophie", "Lukas", "Emma", "Hugo", "Lucía", "Marco", "Anouk",
            "Olivia", "Noah", "Mia", "Léa", "Jörg", "Chloé", "Mateo", "Giulia", "Daan", "Aiko", "Zoë"};
    private static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Müller", "Schmidt", "Martin", "Bernard", "Rossi", "Russo", "de Jong", "Jansen", "Fernández", "López",
            "Taylor", "Wilson", "O'Brien", "Nguyen", "Dubois", "Weber", "Bianchi", "Visser", "Moreau", "Clark"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "inbox.example.net", "example.co.uk"};

    /** Alternative spellings of a country, for the "country given as a name" dirt. */
    static String countryName(String iso2, SplittableRandom rnd) {
        return switch (iso2) {
            case "US" -> rnd.nextBoolean() ? "United States" : "USA";
            case "GB" -> rnd.nextBoolean() ? "United Kingdom" : "GBR";
            case "DE" -> rnd.nextBoolean() ? "Germany" : "DEU";
            case "FR" -> rnd.nextBoolean() ? "France" : "FRA";
            case "ES" -> "Spain";
            case "IT" -> "Italy";
            case "NL" -> "Netherlands";
            default -> "Canada";
        };
    }

    static String city(String iso2, SplittableRandom rnd) {
        String[] cities = switch (iso2) {
            case "US" -> new String[]{"New York", "Chicago", "Austin", "Seattle", "Boston", "Denver"};
            case "GB" -> new String[]{"London", "Leeds", "Bristol", "Glasgow"};
            case "DE" -> new String[]{"Berlin", "München", "Köln", "Hamburg"};
            case "FR" -> new String[]{"Paris", "Lyon", "Nantes"};
            case "ES" -> new String[]{"Madrid", "Sevilla", "Valencia"};
            case "IT" -> new String[]{"Roma", "Milano", "Torino"};
            case "NL" -> new String[]{"Amsterdam", "Utrecht", "Rotterdam"};
            default -> new String[]{"Toronto", "Montréal", "Vancouver"};
        };
        return cities[rnd.nextInt(cities.length)];
    }

    static String firstName(SplittableRandom rnd) {
        return FIRST[rnd.nextInt(FIRST.length)];
    }

    static String lastName(SplittableRandom rnd) {
        return LAST[rnd.nextInt(LAST.length)];
    }

    static String email(String first, String last, int n, SplittableRandom rnd) {
        String local = (ascii(first) + "." + ascii(last)).toLowerCase().replaceAll("[^a-z.]", "");
        return local + n + "@" + DOMAINS[rnd.nextInt(DOMAINS.length)];
    }

    /** The ways exports break an address: no domain, no @, a doubled @. */
    static String malformed(String email, SplittableRandom rnd) {
        String local = email.substring(0, email.indexOf('@'));
        return switch (rnd.nextInt(3)) {
            case 0 -> local + "@";
            case 1 -> email.replace("@", ".");
            default -> email.replace("@", "@@");
        };
    }

    /** A phone number and whether it is written in international (+…) form. */
    record Phone(String text, boolean international) {}

    static Phone phone(String iso2, SplittableRandom rnd) {
        return phone(iso2, rnd, false);
    }

    /**
     * As {@link #phone(String, SplittableRandom)}, with the same draws; {@code internationalOnly}
     * writes every number in +international form.
     */
    static Phone phone(String iso2, SplittableRandom rnd, boolean internationalOnly) {
        String code = switch (iso2) {
            case "US", "CA" -> "1";
            case "GB" -> "44";
            case "DE" -> "49";
            case "FR" -> "33";
            case "ES" -> "34";
            case "IT" -> "39";
            default -> "31";
        };
        String nsn = switch (iso2) {
            case "US", "CA" -> (200 + rnd.nextInt(700)) + "" + (200 + rnd.nextInt(700)) + digits(4, rnd);
            case "GB" -> "20" + digits(8, rnd);
            case "DE" -> "30" + digits(8, rnd);
            case "IT" -> "3" + digits(9, rnd);
            default -> "6" + digits(8, rnd);
        };
        int style = rnd.nextInt(10);
        if (style < 4 || internationalOnly) {
            return new Phone("+" + code + " " + spaced(nsn, iso2), true);
        }
        if (style < 5) {
            return new Phone("00" + code + " " + spaced(nsn, iso2), false);
        }
        if (iso2.equals("US") || iso2.equals("CA")) {
            String a = nsn.substring(0, 3), b = nsn.substring(3, 6), c = nsn.substring(6);
            return new Phone(switch (style) {
                case 5, 6 -> "(" + a + ") " + b + "-" + c;
                case 7, 8 -> a + "." + b + "." + c;
                default -> a + "-" + b + "-" + c;
            }, false);
        }
        // National form: the trunk prefix 0 where the country dials one.
        boolean trunk = !iso2.equals("ES") && !iso2.equals("IT");
        return new Phone((trunk ? "0" : "") + spaced(nsn, iso2), false);
    }

    private static String spaced(String nsn, String iso2) {
        if (iso2.equals("US") || iso2.equals("CA")) {
            return nsn.substring(0, 3) + "-" + nsn.substring(3, 6) + "-" + nsn.substring(6);
        }
        return nsn.substring(0, 2) + " " + nsn.substring(2, 6) + " " + nsn.substring(6);
    }

    private static String digits(int n, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(10));
        }
        return sb.toString();
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }

    private People() {}
}
