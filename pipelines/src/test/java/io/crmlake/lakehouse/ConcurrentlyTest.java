package io.crmlake.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The contract the table writers of ingest and clean rely on: order, overlap, every operation run, first failure. */
class ConcurrentlyTest {

    @Test
    void resultsComeBackInInputOrderFromOverlappingThreads() {
        // Each operation waits until THREADS of them have started: this only ends if they overlap.
        CountDownLatch started = new CountDownLatch(Concurrently.THREADS);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> inputs = IntStream.rangeClosed(1, 7).boxed().toList();
        List<Integer> squares = Concurrently.map(inputs, i -> {
            threads.add(Thread.currentThread().getName() + "@" + Thread.currentThread().getId());
            started.countDown();
            try {
                assertThat(started.await(30, TimeUnit.SECONDS)).as("operations overlap").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return i * i;
        });
        assertThat(squares).containsExactly(1, 4, 9, 16, 25, 36, 49);
        assertThat(threads).hasSize(Concurrently.THREADS);
    }

    @Test
    void everyOperationRunsAndTheFirstFailureInInputOrderIsRethrownUnchanged() {
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        assertThatThrownBy(() -> Concurrently.map(List.of(1, 2, 3, 4, 5), i -> {
            ran.add(i);
            if (i == 2) {
                // Scala code throws checked exceptions undeclared; callers match them by type.
                throw Concurrently.rethrow(new IOException("second failed"));
            }
            if (i == 4) {
                throw new IllegalStateException("fourth failed");
            }
            return i;
        })).isInstanceOf(IOException.class).hasMessage("second failed");
        assertThat(ran).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void oneInputRunsOnTheCallingThread() {
        String caller = Thread.currentThread().getName();
        assertThat(Concurrently.map(List.of("x"), x -> Thread.currentThread().getName())).containsExactly(caller);
    }
}
