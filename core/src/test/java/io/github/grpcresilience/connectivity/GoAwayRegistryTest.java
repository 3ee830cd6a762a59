package io.github.grpcresilience.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.transport.GoAwayListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GoAwayRegistryTest {

    @Test
    void classifiesGoAwayFrames() {
        assertThat(GoAwayReason.of(0xb, "too_many_pings")).isEqualTo(GoAwayReason.TOO_MANY_PINGS);
        assertThat(GoAwayReason.of(0xb, "something else")).isEqualTo(GoAwayReason.OTHER);
        assertThat(GoAwayReason.of(0x0, "max_age")).isEqualTo(GoAwayReason.MAX_AGE);
        assertThat(GoAwayReason.of(0x0, "max_idle")).isEqualTo(GoAwayReason.MAX_IDLE);
        assertThat(GoAwayReason.of(0x0, "")).isEqualTo(GoAwayReason.NO_ERROR);
        assertThat(GoAwayReason.of(0x2, "")).isEqualTo(GoAwayReason.OTHER);
        assertThat(GoAwayReason.TOO_MANY_PINGS.tagValue()).isEqualTo("too_many_pings");
    }

    @Test
    void countsPerChannelAndReasonAndNotifiesSubscribers() {
        GoAwayRegistry registry = new GoAwayRegistry();
        List<String> seen = new CopyOnWriteArrayList<>();
        registry.subscribe((channel, reason, code, data) -> seen.add(channel + ":" + reason));
        registry.listenerFor("a").onGoAway(0xb, "too_many_pings");
        registry.listenerFor("a").onGoAway(0x0, "max_age");
        registry.listenerFor("b").onGoAway(0x0, "max_age");

        assertThat(registry.count("a", GoAwayReason.TOO_MANY_PINGS)).isEqualTo(1);
        assertThat(registry.count("a", GoAwayReason.MAX_AGE)).isEqualTo(1);
        assertThat(registry.count("b", GoAwayReason.TOO_MANY_PINGS)).isZero();
        assertThat(registry.counts("b")).containsEntry(GoAwayReason.MAX_AGE, 1L).hasSize(GoAwayReason.values().length);
        assertThat(seen).containsExactly("a:TOO_MANY_PINGS", "a:MAX_AGE", "b:MAX_AGE");

        registry.remove("a");
        assertThat(registry.count("a", GoAwayReason.TOO_MANY_PINGS)).isZero();
    }

    @Test
    void countsConcurrentEventLoopsExactly() throws Exception {
        GoAwayRegistry registry = new GoAwayRegistry();
        int threads = 8;
        int perThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                GoAwayListener listener = registry.listenerFor("channel-" + (t % 2));
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        listener.onGoAway(0xb, "too_many_pings");
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(registry.count("channel-0", GoAwayReason.TOO_MANY_PINGS)).isEqualTo(threads / 2 * perThread);
        assertThat(registry.count("channel-1", GoAwayReason.TOO_MANY_PINGS)).isEqualTo(threads / 2 * perThread);
    }
}
