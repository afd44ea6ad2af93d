package io.crmlake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.crmlake.schema.Entity;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsLoadWithoutAnyFile() {
        Settings s = ConfigLoader.load(Optional.empty(), List.of());
        assertThat(s.landing()).isEqualTo("sample-data");
        assertThat(s.warehouse()).isEqualTo("warehouse");
        assertThat(s.clean().maxQuarantineShare()).isEqualTo(0.10);
        assertThat(s.features().recentDays()).isEqualTo(90);
        assertThat(s.models().segment().retrainEveryDays()).isEqualTo(7);
    }

    @Test
    void userFileAndSetOverridesWinInThatOrder() throws IOException {
        Path conf = write("crmlake { warehouse = \"/tmp/w1\", features.recent-days = 30 }");
        Settings s = ConfigLoader.load(Optional.of(conf), List.of("warehouse=/tmp/w2", "crmlake.clean.max-quarantine-share=0.5"));
        assertThat(s.warehouse()).isEqualTo("/tmp/w2");
        assertThat(s.features().recentDays()).isEqualTo(30);
        assertThat(s.clean().maxQuarantineShare()).isEqualTo(0.5);
    }

    @Test
    void unknownKeyInFileIsNamed() throws IOException {
        Path conf = write("crmlake { warehous = \"/tmp/w\" }");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(conf), List.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("unknown configuration key 'crmlake.warehous'");
    }

    @Test
    void unknownKeyInSetIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("clean.max-share=0.2")))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("crmlake.clean.max-share");
    }

    @Test
    void wrongTypeIsNamed() throws IOException {
        Path conf = write("crmlake.spark.shuffle-partitions = many");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(conf), List.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("shuffle-partitions");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("ingest.allow-missing-marker=perhaps")))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("allow-missing-marker");
    }

    @Test
    void outOfRangeValuesAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("clean.max-quarantine-share=1.5")))
                .hasMessageContaining("crmlake.clean.max-quarantine-share must be between 0 and 1");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("clean.default-country=Germany")))
                .hasMessageContaining("crmlake.clean.default-country");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("models.segment.retrain-every-days=0")))
                .hasMessageContaining("crmlake.models.segment.retrain-every-days must be positive, got 0");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), List.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("configuration file not found: " + missing);
    }

    @Test
    void openSectionsAcceptAnyKeyButEntityMapsAreChecked() throws IOException {
        Path conf = write("crmlake { spark.conf { \"spark.sql.adaptive.enabled\" = \"true\" }\n"
                + " clean.max-quarantine-share-by-entity { orders = 0.02 } }");
        Settings s = ConfigLoader.load(Optional.of(conf), List.of());
        assertThat(s.spark().conf()).containsEntry("spark.sql.adaptive.enabled", "true");
        assertThat(s.clean().maxQuarantineShare(Entity.ORDERS)).isEqualTo(0.02);
        assertThat(s.clean().maxQuarantineShare(Entity.CUSTOMERS)).isEqualTo(0.10);

        Path bad = write("crmlake.clean.max-quarantine-share-by-entity { ordres = 0.02 }");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(bad), List.of()))
                .hasMessageContaining("ordres");
    }

    @Test
    void shippedConfFilesAreValid() {
        Path confDir = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");
        for (String f : List.of("application.conf", "local.conf", "cluster.conf")) {
            assertThat(ConfigLoader.load(Optional.of(confDir.resolve(f)), List.of())).as(f).isNotNull();
        }
    }

    @Test
    void shippedSourceMappingsLoad() {
        SourceMapping canonical = SourceMapping.load("canonical");
        assertThat(canonical.entity(Entity.ORDERS).folder()).isEqualTo("orders");
        assertThat(canonical.entity(Entity.ORDERS).sourceColumn("order_id")).isEqualTo("order_id");
        SourceMapping sf = SourceMapping.load("salesforce");
        assertThat(sf.entity(Entity.CUSTOMERS).folder()).isEqualTo("Contact");
        assertThat(sf.entity(Entity.CUSTOMERS).sourceColumn("first_name")).isEqualTo("FirstName");
        assertThat(sf.entity(Entity.ORDERS).valueCodes("status")).containsEntry("Activated", "completed");
        assertThatThrownBy(() -> SourceMapping.load("hubspot")).hasMessageContaining("no source mapping named 'hubspot'");
        SourceMapping flat = SourceMapping.load("invoice-lines");
        assertThat(flat.invoiceLines()).get().satisfies(il -> {
            assertThat(il.folder()).isEqualTo("invoice_lines");
            assertThat(il.cancellationPrefix()).isEqualTo("C");
        });
        assertThat(canonical.invoiceLines()).isEmpty();
        assertThat(canonical.entity(Entity.PRODUCTS).defaultValue("category")).as("the contract's default").contains("unknown");
        assertThat(canonical.timeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
    }

    /** The mappings docs/source-mappings.md shows a user load as written: a documentation that does not work is a defect. */
    @Test
    void theDocumentedExampleMappingsLoad() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("docs/source-mappings.md"));
        java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```hocon\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(readme);
        List<SourceMapping> loaded = new java.util.ArrayList<>();
        while (blocks.find()) {
            loaded.add(SourceMapping.load(write(blocks.group(1)).toString()));
        }
        assertThat(loaded).extracting(SourceMapping::name).containsExactly("acme-crm", "online-retail");
        SourceMapping acme = loaded.get(0);
        assertThat(acme.entity(Entity.CUSTOMERS).folder()).isEqualTo("Kontakte");
        assertThat(acme.entity(Entity.CUSTOMERS).sourceColumn("first_name")).as("kept from salesforce").isEqualTo("FirstName");
        assertThat(acme.entity(Entity.ORDERS).defaultValue("currency")).contains("EUR");
        assertThat(acme.timeZone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
        assertThat(loaded.get(1).invoiceLines()).get().extracting(il -> il.sourceColumn("product_code")).isEqualTo("StockCode");
    }

    @Test
    void aBadTimeZoneOrDefaultIsNamed() throws IOException {
        assertThatThrownBy(() -> SourceMapping.load(write("time-zone = \"Mars/Olympus\"\nentities {}").toString()))
                .hasMessageContaining("time-zone 'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> SourceMapping.load(write("entities { products { defaults { colour = red } } }").toString()))
                .hasMessageContaining("entities.products.defaults.colour is not a column of products");
    }

    @Test
    void mappingWithUnknownCanonicalColumnIsNamed() throws IOException {
        Path m = write("entities { orders { columns { order_number = \"Id\" } } }");
        assertThatThrownBy(() -> SourceMapping.load(m.toString()))
                .hasMessageContaining("entities.orders.columns.order_number is not a column of orders");
    }

    private Path write(String hocon) throws IOException {
        Path f = Files.createTempFile(dir, "c", ".conf");
        Files.writeString(f, hocon);
        return f;
    }
}
