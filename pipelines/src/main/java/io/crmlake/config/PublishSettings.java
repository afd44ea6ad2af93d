package io.crmlake.config;

import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.crmlake.schema.Entity;
import io.crmlake.scores.CustomerScores;

/**
 * The settings of the publish job, as conf/application.conf documents them under
 * crmlake.publish. Read from {@link Settings#raw()}, validated when read. The JDBC block itself
 * is read by {@code JdbcTarget.fromConfig} when {@code jdbcEnabled}.
 */
public record PublishSettings(boolean changesOnly, List<String> materialColumns, Files files, boolean jdbcEnabled,
                              Breaker breaker) {

    public record Files(boolean enabled, String mapping) {}

    public record Breaker(List<String> volumeEntities, double volumeLow, double volumeHigh, int volumeHistoryDays,
                          int volumeMinHistory, double maxPsi) {}

    public static PublishSettings of(Settings settings) {
        Config p = settings.raw().getConfig("crmlake.publish");
        try {
            List<String> columns = List.of(CustomerScores.SCHEMA.fieldNames());
            List<String> material = p.getStringList("material-columns");
            for (String c : material) {
                if (!columns.contains(c)) {
                    throw new ConfigError("crmlake.publish.material-columns: '" + c
                            + "' is not a column of gold.customer_scores " + columns);
                }
            }
            List<String> entities = p.getStringList("breaker.volume-entities");
            for (String e : entities) {
                try {
                    Entity.fromName(e);
                } catch (IllegalArgumentException ex) {
                    throw new ConfigError("crmlake.publish.breaker.volume-entities: " + ex.getMessage());
                }
            }
            double low = p.getDouble("breaker.volume-low");
            double high = p.getDouble("breaker.volume-high");
            if (!(low >= 0) || !(high >= low)) {
                throw new ConfigError("crmlake.publish.breaker.volume-low and volume-high must satisfy 0 <= low <= high, got "
                        + low + " and " + high);
            }
            int historyDays = p.getInt("breaker.volume-history-days");
            int minHistory = p.getInt("breaker.volume-min-history");
            if (minHistory < 1 || historyDays < minHistory) {
                throw new ConfigError("crmlake.publish.breaker.volume-min-history must be at least 1 and at most "
                        + "volume-history-days, got " + minHistory + " and " + historyDays);
            }
            double maxPsi = p.getDouble("breaker.max-psi");
            if (!(maxPsi > 0)) {
                throw new ConfigError("crmlake.publish.breaker.max-psi must be positive, got " + maxPsi);
            }
            return new PublishSettings(p.getBoolean("changes-only"), material,
                    new Files(p.getBoolean("files.enabled"), p.getString("files.mapping")),
                    p.getBoolean("jdbc.enabled"),
                    new Breaker(entities, low, high, historyDays, minHistory, maxPsi));
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
    }
}
