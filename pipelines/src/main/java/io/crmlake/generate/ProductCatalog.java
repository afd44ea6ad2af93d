package io.crmlake.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Products in categories, with the co-purchase pairs planted in baskets: when a basket holds a
 * pair's first product, its second one joins with high probability, while otherwise it is rare.
 */
final class ProductCatalog {
    static final List<String> CATEGORIES = List.of(
            "Electronics", "Home", "Kitchen", "Garden", "Sports", "Beauty", "Books", "Toys");
    static final int PER_CATEGORY = 15;
    /** Pairs as (category index, first product, second product); they take the first slots. */
    private static final String[][] PAIRS = {
            {"0", "Laser Printer", "Ink Cartridge"},
            {"2", "Espresso Machine", "Coffee Beans"},
            {"4", "Camping Tent", "Sleeping Bag"},
            {"0", "Smartphone", "Phone Case"},
            {"6", "Paint Set", "Canvas Pack"},
            {"4", "Yoga Mat", "Yoga Block"}};
    private static final double[] CATEGORY_PRICE = {180, 45, 35, 30, 55, 20, 15, 25};
    private static final String[] NOUNS = {"Lamp", "Kettle", "Blender", "Speaker", "Chair", "Bottle", "Cable",
            "Glove", "Brush", "Puzzle", "Novel", "Pot", "Hose", "Towel", "Clock", "Bag", "Mirror", "Ball"};
    private static final String[] ADJECTIVES = {"Classic", "Smart", "Eco", "Compact", "Deluxe", "Mini", "Pro", "Urban"};
    private static final String[] BRANDS = {"Acme", "Norda", "Vitra", "Lumo", "Kasa", "Bramble", "Orbit", "Zest"};
    /** Share of baskets that receive a pair's first product. */
    static final double PAIR_SEED_PROBABILITY = 0.03;
    /** Probability that the second product joins a basket holding the first. */
    static final double PAIR_FOLLOW_PROBABILITY = 0.7;

    record Product(String id, String name, int category, String brand, BigDecimal price) {}

    record Pair(Product first, Product second) {}

    final List<Product> products = new ArrayList<>();
    final List<Pair> pairs = new ArrayList<>();

    ProductCatalog(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedL);
        int n = 1;
        for (int c = 0; c < CATEGORIES.size(); c++) {
            List<String> names = new ArrayList<>();
            for (String[] p : PAIRS) {
                if (Integer.parseInt(p[0]) == c) {
                    names.add(p[1]);
                    names.add(p[2]);
                }
            }
            while (names.size() < PER_CATEGORY) {
                names.add(ADJECTIVES[rnd.nextInt(ADJECTIVES.length)] + " " + NOUNS[rnd.nextInt(NOUNS.length)] + " " + (names.size() + 1));
            }
            for (String name : names) {
                double price = CATEGORY_PRICE[c] * Math.exp(0.5 * gaussian(rnd));
                products.add(new Product(String.format("P%04d", n++), name, c, BRANDS[rnd.nextInt(BRANDS.length)],
                        BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP)));
            }
        }
        for (String[] p : PAIRS) {
            pairs.add(new Pair(byName(p[1]), byName(p[2])));
        }
    }

    /** A product of the category, never a pair's second product (those come through their pair). */
    Product pick(int category, SplittableRandom rnd) {
        while (true) {
            Product p = products.get(category * PER_CATEGORY + rnd.nextInt(PER_CATEGORY));
            if (!isSecondOfPair(p)) {
                return p;
            }
        }
    }

    private boolean isSecondOfPair(Product p) {
        return pairs.stream().anyMatch(pair -> pair.second() == p);
    }

    private Product byName(String name) {
        return products.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
        double u1 = Math.max(rnd.nextDouble(), 1e-12);
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
