package io.crmlake.models.recommend;

/**
 * Parameters of the recommender.
 *
 * @param rank             number of latent factors of ALS
 * @param maxIter          ALS iterations
 * @param regParam         ALS regularisation
 * @param alpha            implicit-feedback confidence: a purchase strength s counts with weight 1 + alpha·s
 * @param halfLifeDays     a purchase this many days old weighs half as much as one on the as-of date
 * @param topN             recommendations per customer
 * @param excludePurchased never recommend a product the customer already bought
 * @param holdoutDays      evaluation: the last this many days before the as-of date are held out
 * @param k                evaluation: the cut-off of precision@k, recall@k and MAP@k
 * @param seed             ALS random seed, so a re-run gives the same factors
 * @param popularityDays   popularity (the fallback for new customers and the baseline) counts the
 *                         distinct buyers of each product over this many dates ending with the as-of date
 */
public record RecommendParams(int rank, int maxIter, double regParam, double alpha, double halfLifeDays, int topN,
                              boolean excludePurchased, int holdoutDays, int k, long seed, int popularityDays) {
    public RecommendParams {
        positive("rank", rank);
        positive("maxIter", maxIter);
        positive("topN", topN);
        positive("holdoutDays", holdoutDays);
        positive("k", k);
        positive("popularityDays", popularityDays);
        if (!(regParam >= 0) || !(alpha >= 0)) {
            throw new IllegalArgumentException("regParam and alpha must not be negative, got " + regParam + ", " + alpha);
        }
        if (!(halfLifeDays > 0)) {
            throw new IllegalArgumentException("halfLifeDays must be positive, got " + halfLifeDays);
        }
    }

    public static RecommendParams defaults() {
        return new RecommendParams(10, 10, 0.1, 10.0, 90.0, 10, true, 28, 10, 42L, 90);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
