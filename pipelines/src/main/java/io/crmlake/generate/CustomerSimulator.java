package io.crmlake.generate;

import static io.crmlake.schema.Entity.CUSTOMERS;
import static io.crmlake.schema.Entity.INTERACTIONS;
import static io.crmlake.schema.Entity.ORDERS;
import static io.crmlake.schema.Entity.ORDER_ITEMS;
import static io.crmlake.schema.Entity.TICKETS;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One customer's life over the simulated timeline: sign-up and profile changes, orders whose
 * timing follows the customer's own rhythm, campaign reactions and service tickets, each written
 * into the export of the day it happened (or the full export for everything up to the first day),
 * with the dirt real exports carry. Each customer draws from a random stream of its own, so one
 * customer's draws never shift another's. The realistic profile writes orders its own way
 * (guests, credit notes, totals from the lines) and skips the other dirt; every draw it adds or
 * skips is behind the profile, so the default profile's stream stays as it was.
 */
final class CustomerSimulator {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final DateTimeFormatter ISO_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    /** ISO 8601 local time without offset, the realistic profile's one timestamp format. */
    static final DateTimeFormatter LOCAL_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** The timestamp format of the profile: every timestamp the generator writes uses it. */
    static DateTimeFormatter timestamps(GeneratorOptions o) {
        return o.realistic() ? LOCAL_TS : TS;
    }

    /** Sequences shared by all customers, so ids stay unique and deterministic. */
    static final class Ids {
        long order;
        long event;
        long ticket;
        long orphanOrder;
        long orphanLine;
    }

    private final GeneratorOptions o;
    private final ProductCatalog catalog;
    private final List<LocalDate> campaignStarts;
    private final LandingWriter out;
    private final DirtLog dirt;
    private final Ids ids;
    private final SplittableRandom rnd;
    private final String id;
    private final int index;
    /** The realistic profile: its own order logic, no dirt beyond bad emails and negative quantities. */
    private final boolean realistic;
    private final DateTimeFormatter tsFormat;

    CustomerType type;
    LocalDate signup;
    LocalDate churn;
    double meanGap;
    int[] favourites;

    CustomerSimulator(GeneratorOptions o, int index, ProductCatalog catalog, List<LocalDate> campaignStarts,
                      LandingWriter out, DirtLog dirt, Ids ids) {
        this.o = o;
        this.index = index;
        this.catalog = catalog;
        this.campaignStarts = campaignStarts;
        this.out = out;
        this.dirt = dirt;
        this.ids = ids;
        this.rnd = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
        this.id = String.format("C%06d", index + 1);
        this.realistic = o.realistic();
        this.tsFormat = timestamps(o);
    }

    void run() {
        type = CustomerType.draw(rnd.nextDouble());
        signup = drawSignup();
        meanGap = type.meanGapDays * Math.exp(0.3 * ProductCatalog.gaussian(rnd));
        churn = type == CustomerType.AT_RISK ? o.firstDate().minusDays(90 + rnd.nextInt(111)) : null;
        int a = rnd.nextInt(ProductCatalog.CATEGORIES.size());
        int b = (a + 1 + rnd.nextInt(ProductCatalog.CATEGORIES.size() - 1)) % ProductCatalog.CATEGORIES.size();
        favourites = new int[]{a, b};
        boolean optIn = rnd.nextDouble() < (type == CustomerType.HIBERNATING ? 0.45 : 0.6);
        writeProfile(optIn);
        if (realistic) {
            writeRealisticOrders();
        } else {
            writeOrders();
        }
        if (optIn) {
            writeCampaignEvents();
        }
        writeTickets();
    }

    String truthRow() {
        return String.join(",", id, type.label(),
                ProductCatalog.CATEGORIES.get(favourites[0]) + "|" + ProductCatalog.CATEGORIES.get(favourites[1]),
                type.meanGapDays == 0 ? "" : String.format("%.1f", meanGap),
                churn == null ? "" : churn.toString(), signup.toString());
    }

    private LocalDate drawSignup() {
        LocalDate start = o.historyStart();
        return switch (type) {
            case NEW -> o.firstDate().minusDays(45).plusDays(rnd.nextInt(45 + o.days()));
            case HIBERNATING -> start.minusDays(400).plusDays(rnd.nextInt(500));
            default -> start.minusDays(700).plusDays(rnd.nextInt(700 + 215));
        };
    }

    /** The export a thing dated {@code d} arrives in: the full export, or its own day's. */
    private LocalDate exportDay(LocalDate d) {
        return d.isAfter(o.firstDate()) ? d : o.firstDate();
    }

    private boolean inTimeline(LocalDate d) {
        return !d.isAfter(o.lastDate());
    }

    // --- profile ------------------------------------------------------------------------------

    private void writeProfile(boolean optIn) {
        String country = People.COUNTRIES.get(rnd.nextInt(People.COUNTRIES.size()));
        String first = People.firstName(rnd);
        String last = People.lastName(rnd);
        String email = People.email(first, last, index + 1, rnd);
        People.Phone phone = People.phone(country, rnd, realistic);
        String gender = rnd.nextInt(10) < 1 ? null : rnd.nextBoolean() ? "female" : rnd.nextInt(20) == 0 ? "other" : "male";
        LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(rnd.nextInt(20000));
        String city = People.city(country, rnd);
        LocalDate exportDay = exportDay(signup);
        if (!inTimeline(signup)) {
            return;
        }
        LocalDateTime updated = signup.isAfter(o.historyStart()) || exportDay.isAfter(o.firstDate())
                ? signup.atTime(9, 0).plusMinutes(rnd.nextInt(600))
                // Within the history (its first 300 days), so never after the full export.
                : o.historyStart().plusDays(rnd.nextInt(Math.min(300, o.historyDays()))).atTime(rnd.nextInt(24), rnd.nextInt(60));

        double u = rnd.nextDouble();
        String shownEmail = email;
        if (u < 0.01) {
            shownEmail = People.malformed(email, rnd);
            dirt.add("malformed_email", CUSTOMERS, exportDay);
        } else if (rnd.nextDouble() < 0.10) {
            shownEmail = Character.toUpperCase(email.charAt(0)) + email.substring(1, email.indexOf('@')) + email.substring(email.indexOf('@')).toUpperCase();
            dirt.add("mixed_case_email", CUSTOMERS, exportDay);
        }
        String shownCountry = country;
        if (!realistic && rnd.nextDouble() < 0.05) {
            shownCountry = People.countryName(country, rnd);
            dirt.add("country_name", CUSTOMERS, exportDay);
        }
        boolean usDates = !realistic && rnd.nextDouble() < 0.05;
        if (usDates) {
            dirt.add("second_date_format", CUSTOMERS, exportDay);
        }
        if (!phone.international()) {
            dirt.add("phone_format", CUSTOMERS, exportDay);
        }
        DateTimeFormatter df = usDates ? US_DATE : DATE;
        Object[] row = {id, first, last, shownEmail, phone.text(), gender, birth.format(df), city, shownCountry,
                signup.format(df), String.valueOf(optIn), updated.format(tsFormat)};
        if (!realistic && u >= 0.01 && u < 0.015 && exportDay.equals(o.firstDate())) {
            // An older version of the same customer in the same file: the newer one must win.
            Object[] older = row.clone();
            older[7] = People.city(country, rnd) + " Old Town";
            older[11] = updated.minusDays(1 + rnd.nextInt(20)).format(tsFormat);
            out.write(CUSTOMERS, exportDay, older);
            dirt.add("newer_version", CUSTOMERS, exportDay);
        }
        out.write(CUSTOMERS, exportDay, row);
        if (!realistic && u >= 0.015 && u < 0.025) {
            out.write(CUSTOMERS, exportDay, row);
            dirt.add("exact_duplicate", CUSTOMERS, exportDay);
        }
        writeProfileChanges(row, email, updated, country);
    }

    /** Later days: a changed city or opt-in with a newer updated_at, or an old version re-sent. */
    private void writeProfileChanges(Object[] current, String cleanEmail, LocalDateTime updated, String country) {
        Object[] latest = current.clone();
        latest[3] = cleanEmail;
        LocalDateTime latestUpdated = updated;
        for (LocalDate d = exportDay(signup).plusDays(1); inTimeline(d); d = d.plusDays(1)) {
            double u = rnd.nextDouble();
            if (u < 0.01) {
                Object[] changed = latest.clone();
                if (rnd.nextBoolean()) {
                    changed[7] = People.city(country, rnd);
                } else {
                    changed[10] = String.valueOf(!Boolean.parseBoolean(String.valueOf(latest[10])));
                }
                latestUpdated = d.atTime(8, 0).plusMinutes(rnd.nextInt(600));
                changed[11] = latestUpdated.format(tsFormat);
                out.write(CUSTOMERS, d, changed);
                latest = changed;
            } else if (!realistic && u < 0.015) {
                // The export tool re-sends an old snapshot of the customer: older than what silver holds.
                Object[] stale = latest.clone();
                stale[7] = People.city(country, rnd) + " (old)";
                stale[11] = latestUpdated.minusDays(30 + rnd.nextInt(60)).format(tsFormat);
                out.write(CUSTOMERS, d, stale);
                dirt.add("stale_version", CUSTOMERS, d);
            }
        }
    }

    // --- orders -------------------------------------------------------------------------------

    private List<LocalDate> orderDates() {
        List<LocalDate> dates = new ArrayList<>();
        LocalDate from = signup.isAfter(o.historyStart()) ? signup : o.historyStart();
        switch (type) {
            case HIBERNATING -> {
                LocalDate until = o.firstDate().minusDays(200);
                long span = Math.max(1, until.toEpochDay() - from.toEpochDay());
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n && from.isBefore(until); i++) {
                    dates.add(from.plusDays(rnd.nextLong(span)));
                }
            }
            case NEW -> {
                int n = 1 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    dates.add(signup.plusDays(rnd.nextInt(30)));
                }
            }
            default -> {
                LocalDate until = churn != null ? churn : o.lastDate();
                double t = from.toEpochDay() + rnd.nextDouble() * meanGap;
                while (t < until.toEpochDay() + 1) {
                    dates.add(LocalDate.ofEpochDay((long) t));
                    t += gap();
                }
            }
        }
        dates.removeIf(d -> !inTimeline(d));
        dates.sort(null);
        return dates;
    }

    /** Days to the next order: a gamma(3) draw around the customer's own mean gap. */
    private double gap() {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += -Math.log(Math.max(rnd.nextDouble(), 1e-12));
        }
        return Math.max(1, sum / 3 * meanGap);
    }

    private void writeOrders() {
        for (LocalDate date : orderDates()) {
            LocalDate day = exportDay(date);
            LocalDateTime ts = date.atTime(7 + rnd.nextInt(15), rnd.nextInt(60), rnd.nextInt(60));
            boolean orphan = rnd.nextDouble() < 0.003;
            String orderId = orphan ? String.format("O9%07d", ++ids.orphanOrder) : String.format("O%07d", ++ids.order);
            String customer = orphan ? String.format("CX%05d", ids.orphanOrder) : id;
            double s = rnd.nextDouble();
            String status = s < 0.05 ? "cancelled" : s < 0.08 ? "returned" : "completed";
            if (!status.equals("completed")) {
                dirt.add(status + "_order", ORDERS, day);
            }
            BigDecimal total = writeLines(orderId, day, orphan, status);
            boolean iso = rnd.nextDouble() < 0.05;
            if (iso) {
                dirt.add("second_date_format", ORDERS, day);
            }
            String channel = drawChannel();
            Object[] row = {orderId, customer, ts.format(iso ? ISO_TS : TS), channel, status, "USD", total.toPlainString()};
            out.write(ORDERS, day, row);
            if (orphan) {
                dirt.add("orphan_order", ORDERS, day);
            }
            if (rnd.nextDouble() < 0.01) {
                out.write(ORDERS, day, row);
                dirt.add("exact_duplicate", ORDERS, day);
            }
            if (rnd.nextDouble() < 0.002) {
                // A line whose order exists nowhere.
                out.write(ORDER_ITEMS, day, String.format("O8%07d", ++ids.orphanLine), "1",
                        catalog.pick(favourites[0], rnd).id(), "1", "9.99", "0.00");
                dirt.add("orphan_line", ORDER_ITEMS, day);
            }
        }
    }

    private String drawChannel() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "store";
            case 1 -> "app";
            case 2 -> "phone";
            default -> "web";
        };
    }

    /** Writes the basket's lines and returns the order total. */
    private BigDecimal writeLines(String orderId, LocalDate day, boolean orphanOrder, String status) {
        List<ProductCatalog.Product> basket = drawBasket();
        BigDecimal total = BigDecimal.ZERO;
        double extra = Math.min(0.9, type.spendPerLine / 200);
        for (int line = 0; line < basket.size(); line++) {
            ProductCatalog.Product p = basket.get(line);
            int qty = drawQuantity(extra);
            String discount = rnd.nextDouble() < 0.2 ? (rnd.nextBoolean() ? "0.10" : "0.20") : "0.00";
            total = total.add(p.price().multiply(BigDecimal.valueOf(qty)).multiply(BigDecimal.ONE.subtract(new BigDecimal(discount))));
            String productId = p.id();
            if (rnd.nextDouble() < 0.001) {
                productId = "P9999";
                dirt.add("unknown_product", ORDER_ITEMS, day);
            }
            int shownQty = qty;
            if (rnd.nextDouble() < 0.003) {
                shownQty = -qty;
                // On a cancelled or returned order a negative quantity is valid (a credit line).
                dirt.add(status.equals("completed") ? "negative_quantity" : "negative_quantity_not_sold", ORDER_ITEMS, day);
            }
            Object[] row = {orderId, String.valueOf(line + 1), productId, String.valueOf(shownQty), p.price().toPlainString(), discount};
            out.write(ORDER_ITEMS, day, row);
            if (orphanOrder) {
                dirt.add("orphan_order_lines", ORDER_ITEMS, day);
            }
            if (rnd.nextDouble() < 0.01) {
                out.write(ORDER_ITEMS, day, row);
                dirt.add("exact_duplicate", ORDER_ITEMS, day);
            }
        }
        return total.setScale(2, RoundingMode.HALF_UP);
    }

    /** The products of one basket: favourite categories first, planted pairs completed. */
    private List<ProductCatalog.Product> drawBasket() {
        List<ProductCatalog.Product> basket = new ArrayList<>();
        int n = 1;
        while (n < 6 && rnd.nextDouble() < 1 - 1 / type.meanLines) {
            n++;
        }
        for (int i = 0; i < n; i++) {
            int category = rnd.nextDouble() < 0.7 ? favourites[rnd.nextInt(2)] : rnd.nextInt(ProductCatalog.CATEGORIES.size());
            addDistinct(basket, catalog.pick(category, rnd));
        }
        if (rnd.nextDouble() < ProductCatalog.PAIR_SEED_PROBABILITY * catalog.pairs.size()) {
            addDistinct(basket, catalog.pairs.get(rnd.nextInt(catalog.pairs.size())).first());
        }
        for (ProductCatalog.Pair pair : catalog.pairs) {
            if (basket.contains(pair.first()) && rnd.nextDouble() < ProductCatalog.PAIR_FOLLOW_PROBABILITY) {
                addDistinct(basket, pair.second());
            }
        }
        return basket;
    }

    /** How many of a basket's product the customer takes: 1 to 3. */
    private int drawQuantity(double extra) {
        return 1 + (rnd.nextDouble() < extra ? 1 : 0) + (rnd.nextDouble() < extra / 2 ? 1 : 0);
    }

    // --- orders of the realistic profile ------------------------------------------------------

    /** One order line as written: product, quantity (negative on a credit note) and unit price. */
    private record Line(ProductCatalog.Product product, int quantity) {
        BigDecimal amount() {
            return product.price().multiply(BigDecimal.valueOf(quantity));
        }
    }

    /**
     * Orders as a shop system writes them: status completed, total = Σ quantity × unit price of
     * the lines as written, no discount; some by guests (no customer id), some followed by a
     * credit note that gives part of the order back.
     */
    private void writeRealisticOrders() {
        double extra = Math.min(0.9, type.spendPerLine / 200);
        for (LocalDate date : orderDates()) {
            LocalDate day = exportDay(date);
            LocalDateTime at = date.atTime(7 + rnd.nextInt(15), rnd.nextInt(60), rnd.nextInt(60));
            String orderId = String.format("O%07d", ++ids.order);
            boolean guest = rnd.nextDouble() < 0.08;
            String customer = guest ? null : id;
            List<Line> lines = new ArrayList<>();
            for (ProductCatalog.Product p : drawBasket()) {
                lines.add(new Line(p, drawQuantity(extra)));
            }
            if (!guest && lines.size() >= 2) {
                for (int i = 0; i < lines.size(); i++) {
                    if (rnd.nextDouble() < 0.003) {
                        Line line = lines.get(i);
                        lines.set(i, new Line(line.product(), -line.quantity()));
                        if (total(lines).signum() > 0) {
                            dirt.add("negative_quantity", ORDER_ITEMS, day);
                        } else {
                            lines.set(i, line);
                        }
                    }
                }
            }
            String channel = drawChannel();
            writeRealisticOrder(day, orderId, customer, at, channel, "completed", lines);
            if (guest) {
                dirt.add("guest_order", ORDERS, day);
            }
            if (rnd.nextDouble() < 0.04) {
                writeCreditNote(orderId, customer, at, channel, lines);
            }
        }
    }

    /**
     * A credit note for part of an order, 1 to 10 days later: order "C" + the order's id,
     * cancelled, lines giving back some of each chosen line's quantity at its price. Left out
     * when it would fall after the last export day.
     */
    private void writeCreditNote(String orderId, String customer, LocalDateTime orderedAt, String channel,
                                 List<Line> original) {
        LocalDateTime at = orderedAt.toLocalDate().plusDays(1 + rnd.nextInt(10))
                .atTime(9 + rnd.nextInt(9), rnd.nextInt(60), rnd.nextInt(60));
        List<Line> sold = original.stream().filter(l -> l.quantity() > 0).toList();
        List<Line> back = new ArrayList<>();
        for (Line l : sold) {
            if (rnd.nextDouble() < 0.5) {
                back.add(new Line(l.product(), -(1 + rnd.nextInt(l.quantity()))));
            }
        }
        if (back.isEmpty()) {
            Line l = sold.get(rnd.nextInt(sold.size()));
            back.add(new Line(l.product(), -(1 + rnd.nextInt(l.quantity()))));
        }
        if (!inTimeline(at.toLocalDate())) {
            return;
        }
        LocalDate day = exportDay(at.toLocalDate());
        writeRealisticOrder(day, "C" + orderId, customer, at, channel, "cancelled", back);
        dirt.add("credit_note", ORDERS, day);
    }

    private void writeRealisticOrder(LocalDate day, String orderId, String customer, LocalDateTime at, String channel,
                                     String status, List<Line> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            out.write(ORDER_ITEMS, day, orderId, String.valueOf(i + 1), l.product().id(), String.valueOf(l.quantity()),
                    l.product().price().toPlainString(), null);
        }
        out.write(ORDERS, day, orderId, customer, at.format(tsFormat), channel, status, "USD", total(lines).toPlainString());
    }

    private static BigDecimal total(List<Line> lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (Line l : lines) {
            total = total.add(l.amount());
        }
        return total.setScale(2, RoundingMode.HALF_UP);
    }

    private static void addDistinct(List<ProductCatalog.Product> basket, ProductCatalog.Product p) {
        if (!basket.contains(p)) {
            basket.add(p);
        }
    }

    // --- campaigns and tickets ----------------------------------------------------------------

    private void writeCampaignEvents() {
        boolean unsubscribed = false;
        for (int c = 0; c < campaignStarts.size() && !unsubscribed; c++) {
            LocalDate start = campaignStarts.get(c);
            if (start.isBefore(signup) || start.isBefore(o.historyStart()) || !inTimeline(start)) {
                continue;
            }
            String campaign = String.format("CMP%03d", c + 1);
            // A drip campaign: each customer's mail goes out on one of the campaign's seven days.
            LocalDateTime sent = start.plusDays(rnd.nextInt(7)).atTime(8, 0).plusMinutes(rnd.nextInt(600));
            event(campaign, "sent", sent);
            boolean lapsed = churn != null && start.isAfter(churn);
            double open = type.openProbability * (lapsed ? 0.5 : 1.0);
            if (rnd.nextDouble() < open) {
                LocalDateTime opened = sent.plusMinutes(5 + rnd.nextInt(2000));
                event(campaign, "open", opened);
                if (rnd.nextDouble() < type.clickGivenOpen) {
                    event(campaign, "click", opened.plusMinutes(1 + rnd.nextInt(30)));
                    if (rnd.nextDouble() < 0.15) {
                        event(campaign, "convert", opened.plusMinutes(31 + rnd.nextInt(120)));
                    }
                }
            }
            double unsubscribe = type == CustomerType.HIBERNATING ? 0.02 : lapsed ? 0.01 : 0.003;
            if (rnd.nextDouble() < unsubscribe) {
                event(campaign, "unsubscribe", sent.plusHours(1 + rnd.nextInt(48)));
                unsubscribed = true;
            }
        }
    }

    private void event(String campaign, String type, LocalDateTime at) {
        LocalDate d = at.toLocalDate();
        if (!inTimeline(d)) {
            return;
        }
        Object[] row = {String.format("E%08d", ++ids.event), id, campaign, "email", type, at.format(tsFormat)};
        out.write(INTERACTIONS, exportDay(d), row);
        if (!realistic && rnd.nextDouble() < 0.01) {
            out.write(INTERACTIONS, exportDay(d), row);
            dirt.add("exact_duplicate", INTERACTIONS, exportDay(d));
        }
    }

    private void writeTickets() {
        LocalDate from = signup.isAfter(o.historyStart()) ? signup : o.historyStart();
        double t = from.toEpochDay();
        while (true) {
            t += -Math.log(Math.max(rnd.nextDouble(), 1e-12)) * 365 / type.ticketsPerYear;
            LocalDate d = LocalDate.ofEpochDay((long) t);
            if (!inTimeline(d)) {
                return;
            }
            int score = (int) Math.round(Math.max(1, Math.min(5, type.meanSatisfaction + 0.8 * ProductCatalog.gaussian(rnd))));
            boolean rated = rnd.nextDouble() >= 0.2;
            String category = switch (rnd.nextInt(4)) {
                case 0 -> "billing";
                case 1 -> "delivery";
                case 2 -> "product";
                default -> "account";
            };
            String status = d.isBefore(o.lastDate().minusDays(7)) || rnd.nextBoolean() ? "closed" : "open";
            out.write(TICKETS, exportDay(d), String.format("T%06d", ++ids.ticket), id,
                    d.atTime(8 + rnd.nextInt(10), rnd.nextInt(60)).format(tsFormat),
                    switch (rnd.nextInt(3)) { case 0 -> "phone"; case 1 -> "chat"; default -> "email"; },
                    category, score <= 2 ? "high" : rnd.nextBoolean() ? "medium" : "low", status,
                    rated ? String.valueOf(score) : null, TicketTexts.forScore(score, rnd));
        }
    }
}
