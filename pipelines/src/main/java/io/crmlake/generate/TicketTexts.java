package io.crmlake.generate;

import java.util.SplittableRandom;

/** Ticket texts whose wording agrees with the satisfaction the customer gave (or would have given). */
final class TicketTexts {
    static final String[] NEGATIVE = {
            "Still waiting for my refund, this is terrible.",
            "The item arrived broken and nobody answers.",
            "I want a refund, worst service ever.",
            "Third time I write about the same problem, very disappointed."};
    static final String[] NEUTRAL = {
            "Question about my invoice.",
            "Can I change the delivery address?",
            "How do I reset my password?",
            "Asking about the status of my order."};
    static final String[] POSITIVE = {
            "Thanks, quickly solved!",
            "Great help, thank you very much.",
            "Problem fixed within minutes, excellent service.",
            "Thank you, friendly and fast support."};

    static String forScore(int score, SplittableRandom rnd) {
        String[] pool = score <= 2 ? NEGATIVE : score == 3 ? NEUTRAL : POSITIVE;
        return pool[rnd.nextInt(pool.length)];
    }

    private TicketTexts() {}
}
