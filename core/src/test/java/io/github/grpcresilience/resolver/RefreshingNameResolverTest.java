package io.github.grpcresilience.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refresh timer on a manual scheduler: each delay is the interval plus the jitter share of
 * 20 %, each timer refreshes once and schedules the next, and shutdown cancels the pending timer.
 */
class RefreshingNameResolverTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final SynchronizationContext syncContext = new SynchronizationContext((thread, error) -> {
        throw new AssertionError(error);
    });
    private final CountingResolver delegate = new CountingResolver();
    private final Deque<Double> jitters = new ArrayDeque<>(List.of(0.0, 0.5, 0.999));

    private RefreshingNameResolver resolver() {
        return new RefreshingNameResolver(delegate, INTERVAL, syncContext, scheduler, jitters::removeFirst);
    }

    @Test
    void eachDelayIsTheIntervalPlusItsJitterShareOfTwentyPercent() {
        RefreshingNameResolver resolver = resolver();
        syncContext.execute(() -> resolver.start(new NoopListener()));
        assertThat(scheduler.pendingDelays()).as("jitter 0").containsExactly(INTERVAL);
        scheduler.advance(INTERVAL);
        assertThat(scheduler.pendingDelays()).as("jitter 0.5").containsExactly(INTERVAL.plusSeconds(3));
        scheduler.advance(INTERVAL.plusSeconds(3));
        assertThat(scheduler.pendingDelays()).as("jitter 0.999")
                .containsExactly(INTERVAL.plusNanos((long) (INTERVAL.toNanos() * 0.2 * 0.999)));
        assertThat(delegate.refreshes).isEqualTo(2);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void refreshesOnlyWhenTheTimerIsDue() {
        jitters.clear();
        jitters.addAll(List.of(0.0, 0.0, 0.0));
        RefreshingNameResolver resolver = resolver();
        syncContext.execute(() -> resolver.start(new NoopListener()));

        scheduler.advance(INTERVAL);
        scheduler.advance(INTERVAL);
        scheduler.advance(INTERVAL.minusSeconds(1));

        assertThat(delegate.refreshes).isEqualTo(2);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void shutdownCancelsThePendingTimer() {
        RefreshingNameResolver resolver = resolver();
        syncContext.execute(() -> resolver.start(new NoopListener()));
        scheduler.advance(INTERVAL);
        assertThat(scheduler.pendingDelays()).hasSize(1);

        syncContext.execute(resolver::shutdown);

        assertThat(scheduler.pendingDelays()).as("the timer is cancelled").isEmpty();
        scheduler.advance(Duration.ofHours(1));
        assertThat(delegate.refreshes).isEqualTo(1);
        assertThat(delegate.shutdown).isTrue();
    }

    /** Counts refreshes; never resolves by itself. */
    private static final class CountingResolver extends NameResolver {
        int refreshes;
        boolean shutdown;

        @Override
        public String getServiceAuthority() {
            return "backends";
        }

        @Override
        public void start(Listener2 listener) {
        }

        @Override
        public void refresh() {
            refreshes++;
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }
    }

    private static final class NoopListener extends NameResolver.Listener2 {
        @Override
        public void onResult(NameResolver.ResolutionResult result) {
        }

        @Override
        public void onError(Status error) {
        }
    }
}
