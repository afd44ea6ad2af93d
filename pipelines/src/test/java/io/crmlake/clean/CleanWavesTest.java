package io.crmlake.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.crmlake.schema.Entity;

/** clean's waves: an entity only after the entities it points at, every entity exactly once. */
class CleanWavesTest {

    @Test
    void entitiesComeAfterWhatTheyPointAt() {
        assertThat(CleanBatch.waves()).containsExactly(
                List.of(Entity.CUSTOMERS, Entity.PRODUCTS, Entity.CAMPAIGNS),
                List.of(Entity.ORDERS, Entity.INTERACTIONS, Entity.TICKETS),
                List.of(Entity.ORDER_ITEMS));
        assertThat(CleanBatch.waves().stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrder(Entity.values());
    }
}
