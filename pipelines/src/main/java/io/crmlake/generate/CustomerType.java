package io.crmlake.generate;

/**
 * The hidden customer types the models should rediscover. Each differs in how often and how
 * much it buys, whether it still buys, how it reacts to email and how happy it is with service.
 */
public enum CustomerType {
    //          share  gap(d) spend  open  click  tickets/yr satisfaction lines
    CHAMPIONS(  0.15,  14,    140,   0.60, 0.35,  1.2,       4.4,         3.0),
    LOYAL(      0.30,  35,    70,    0.45, 0.25,  0.8,       4.0,         2.2),
    AT_RISK(    0.20,  22,    80,    0.20, 0.10,  2.0,       2.2,         2.0),
    HIBERNATING(0.25,  0,     45,    0.08, 0.05,  0.3,       3.0,         1.5),
    NEW(        0.10,  0,     60,    0.40, 0.20,  0.8,       3.9,         1.8);

    final double share;
    /** Mean days between orders while active (0: the type's own rule decides the few orders). */
    final double meanGapDays;
    /** Mean spend per line, in currency units. */
    final double spendPerLine;
    final double openProbability;
    final double clickGivenOpen;
    final double ticketsPerYear;
    final double meanSatisfaction;
    final double meanLines;

    CustomerType(double share, double meanGapDays, double spendPerLine, double openProbability,
                 double clickGivenOpen, double ticketsPerYear, double meanSatisfaction, double meanLines) {
        this.share = share;
        this.meanGapDays = meanGapDays;
        this.spendPerLine = spendPerLine;
        this.openProbability = openProbability;
        this.clickGivenOpen = clickGivenOpen;
        this.ticketsPerYear = ticketsPerYear;
        this.meanSatisfaction = meanSatisfaction;
        this.meanLines = meanLines;
    }

    /** The name written to the ground truth, as a marketer would say it. */
    public String label() {
        return switch (this) {
            case CHAMPIONS -> "Champions";
            case LOYAL -> "Loyal";
            case AT_RISK -> "At risk";
            case HIBERNATING -> "Hibernating";
            case NEW -> "New";
        };
    }

    static CustomerType draw(double u) {
        double acc = 0;
        for (CustomerType t : values()) {
            acc += t.share;
            if (u < acc) {
                return t;
            }
        }
        return NEW;
    }
}
