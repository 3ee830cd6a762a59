package io.github.grpcresilience.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lookup timer on a manual clock: each delay is the interval plus the jitter share of 20 %,
 * each lookup is a new resolver (the previous one shut down), a channel's refresh is a lookup only
 * an interval after the last, a lookup without an answer is never doubled, and only the current
 * resolver's answers reach the channel.
 */
class RefreshingNameResolverTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final SynchronizationContext syncContext = new SynchronizationContext((thread, error) -> {
        throw new AssertionError(error);
    });
    private final List<FakeResolver> made = new ArrayList<>();
    private final Deque<Double> jitters = new ArrayDeque<>();
    private final RecordingListener channel = new RecordingListener();
    private boolean answerAtOnce = true;

    private RefreshingNameResolver resolver(Double... jitter) {
        jitters.addAll(List.of(jitter));
        return new RefreshingNameResolver(newFake(), this::newFake, INTERVAL, syncContext, scheduler,
                scheduler.clock()::nanoTime, () -> jitters.isEmpty() ? 0.0 : jitters.removeFirst());
    }

    private FakeResolver newFake() {
        FakeResolver fake = new FakeResolver(made.size());
        made.add(fake);
        return fake;
    }

    private int lookups() {
        return (int) made.stream().filter(fake -> fake.listener != null).count();
    }

    private RefreshingNameResolver started(Double... jitter) {
        RefreshingNameResolver resolver = resolver(jitter);
        syncContext.execute(() -> resolver.start(channel));
        return resolver;
    }

    @Test
    void eachDelayIsTheIntervalPlusItsJitterShareOfTwentyPercent() {
        RefreshingNameResolver resolver = started(0.0, 0.5, 0.999);
        assertThat(scheduler.pendingDelays()).as("jitter 0").containsExactly(INTERVAL);
        scheduler.advance(INTERVAL);
        assertThat(scheduler.pendingDelays()).as("jitter 0.5").containsExactly(INTERVAL.plusMillis(500));
        scheduler.advance(INTERVAL.plusMillis(500));
        assertThat(scheduler.pendingDelays()).as("jitter 0.999")
                .containsExactly(INTERVAL.plusNanos((long) (INTERVAL.toNanos() * 0.2 * 0.999)));
        assertThat(lookups()).isEqualTo(3);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void looksUpOnlyWhenTheTimerIsDue() {
        RefreshingNameResolver resolver = started();

        scheduler.advance(INTERVAL);
        scheduler.advance(INTERVAL);
        scheduler.advance(INTERVAL.minusSeconds(1));

        assertThat(lookups()).as("the first and two timers").isEqualTo(3);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void eachLookupIsANewResolverAndThePreviousIsShutDown() {
        RefreshingNameResolver resolver = started();
        scheduler.advance(INTERVAL);
        scheduler.advance(INTERVAL);

        assertThat(made).hasSize(3);
        assertThat(made).allMatch(fake -> fake.listener != null, "started");
        assertThat(made.subList(0, 2)).allMatch(fake -> fake.shutdown, "replaced ones are shut down");
        assertThat(made.get(2).shutdown).isFalse();
        assertThat(made).allMatch(fake -> fake.refreshes == 0,
                "refresh() is never used: grpc-java's DNS resolver ignores it for 30 s after an answer");
        assertThat(channel.answers).containsExactly(0, 1, 2);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void shutdownCancelsThePendingTimerAndShutsTheCurrentResolverDown() {
        RefreshingNameResolver resolver = started();
        scheduler.advance(INTERVAL);
        assertThat(scheduler.pendingDelays()).hasSize(1);

        syncContext.execute(resolver::shutdown);

        assertThat(scheduler.pendingDelays()).as("the timer is cancelled").isEmpty();
        scheduler.advance(Duration.ofHours(1));
        syncContext.execute(resolver::refresh);
        assertThat(lookups()).isEqualTo(2);
        assertThat(made).allMatch(fake -> fake.shutdown);
    }

    @Test
    void aChannelRefreshWithinAnIntervalOfTheLastLookupWaitsForTheTimer() {
        RefreshingNameResolver resolver = started();
        scheduler.advance(INTERVAL.minusMillis(1));

        syncContext.execute(resolver::refresh);

        assertThat(lookups()).isEqualTo(1);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(1));
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void aChannelRefreshAnIntervalAfterTheLastLookupLooksUpAtOnceAndRestartsTheTimer() {
        RefreshingNameResolver resolver = started(0.5, 0.0);
        // the timer is due at 5.5 s; the channel asks at 5 s (a connection closed)
        scheduler.advance(INTERVAL);
        assertThat(lookups()).isEqualTo(1);

        syncContext.execute(resolver::refresh);

        assertThat(lookups()).isEqualTo(2);
        assertThat(scheduler.pendingDelays()).as("a whole interval after this lookup").containsExactly(INTERVAL);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void aLookupWithoutAnAnswerIsNeverDoubled() {
        answerAtOnce = false;
        RefreshingNameResolver resolver = started();

        scheduler.advance(INTERVAL.multipliedBy(3));
        syncContext.execute(resolver::refresh);
        assertThat(lookups()).as("the name server has not answered").isEqualTo(1);

        syncContext.execute(() -> made.get(0).answer());
        scheduler.advance(INTERVAL);
        assertThat(lookups()).as("the next timer after the answer").isEqualTo(2);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void onlyTheCurrentResolversAnswersReachTheChannel() {
        answerAtOnce = false;
        RefreshingNameResolver resolver = started();
        syncContext.execute(() -> made.get(0).answer());
        scheduler.advance(INTERVAL);
        assertThat(made).hasSize(2);

        // the replaced resolver's late answer (grpc-java's DNS resolver answers after shutdown too)
        syncContext.execute(() -> made.get(0).answer());
        made.get(0).answerFromAnyThread();
        syncContext.execute(() -> made.get(1).answer());

        assertThat(channel.answers).containsExactly(0, 1);
        syncContext.execute(resolver::shutdown);
        syncContext.execute(() -> made.get(1).answer());
        assertThat(channel.answers).as("nothing after shutdown").containsExactly(0, 1);
    }

    @Test
    void errorsOfTheCurrentResolverReachTheChannelAndEndTheLookup() {
        answerAtOnce = false;
        RefreshingNameResolver resolver = started();

        made.get(0).listener.onError(Status.UNAVAILABLE.withDescription("no such host"));
        scheduler.advance(INTERVAL);

        assertThat(channel.errors).hasSize(1);
        assertThat(lookups()).as("the failed lookup is over, so the timer looks up again").isEqualTo(2);
        syncContext.execute(resolver::shutdown);
    }

    @Test
    void looksUpAtMostOncePerIntervalHoweverOftenTheChannelAsks() {
        RefreshingNameResolver resolver = started();
        Duration minute = Duration.ofMinutes(1);
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(minute) < 0;
                elapsed = elapsed.plusMillis(100)) {
            syncContext.execute(resolver::refresh);
            scheduler.advance(Duration.ofMillis(100));
        }

        // the first lookup and one every 5 s after it
        assertThat(lookups()).isEqualTo(1 + (int) (minute.toNanos() / INTERVAL.toNanos()));
        syncContext.execute(resolver::shutdown);
    }

    /** Answers at once (a fast name server) or when the test says; counts refresh() calls. */
    private final class FakeResolver extends NameResolver {
        final int id;
        Listener2 listener;
        int refreshes;
        boolean shutdown;

        FakeResolver(int id) {
            this.id = id;
        }

        @Override
        public String getServiceAuthority() {
            return "backends:9090";
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            if (answerAtOnce) {
                answer();
            }
        }

        /** Must run in the synchronization context, as onResult2 does in grpc-java's resolvers. */
        void answer() {
            listener.onResult2(result());
        }

        void answerFromAnyThread() {
            listener.onResult(result());
        }

        private ResolutionResult result() {
            return ResolutionResult.newBuilder().setAddresses(List.of(new EquivalentAddressGroup(
                    new InetSocketAddress("127.0.0.1", 9090)))).setAttributes(
                    io.grpc.Attributes.newBuilder().set(ID, id).build()).build();
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

    private static final io.grpc.Attributes.Key<Integer> ID = io.grpc.Attributes.Key.create("fake resolver");

    /** Records which resolver each answer came from. */
    private static final class RecordingListener extends NameResolver.Listener2 {
        final List<Integer> answers = new ArrayList<>();
        final List<Status> errors = new ArrayList<>();

        @Override
        public void onResult(NameResolver.ResolutionResult result) {
            answers.add(result.getAttributes().get(ID));
        }

        @Override
        public void onError(Status error) {
            errors.add(error);
        }
    }
}
