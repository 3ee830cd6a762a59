package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviours docs/streams.md documents, each against a real Netty server on loopback: the
 * healthy-reset of the backoff (on the injected monotonic clock), max-attempts, a full reconnect
 * queue, the conditions on the retryable statuses, BLOCK that waits and then succeeds, and the
 * check interval that beats grpc-java's own connect backoff.
 */
class DocumentedBehaviourTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** The streams' monotonic clock: real time plus whatever a test skips ahead. */
    private final AtomicLong skipped = new AtomicLong();
    private RecordingServer server;
    private ManagedChannel channel;
    private StreamSupervisor supervisor;

    private void start(StreamSettings settings, int queueCapacity) throws Exception {
        server = RecordingServer.onFreePort(UnaryOperator.identity()).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        supervisor = new StreamSupervisor(name -> settings, name -> Optional.of(channel), scheduler, queueCapacity,
                () -> 0.5, () -> System.nanoTime() + skipped.get(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        scheduler.shutdownNow();
    }

    private static StreamSettings settings(int maxAttempts, Duration checkInterval, int capacity,
            OverflowPolicy overflow, Duration blockTimeout) {
        return new StreamSettings(new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 1.6, 0.2),
                maxAttempts, checkInterval, Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), capacity,
                overflow, blockTimeout);
    }

    private static SimpleRequest message(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    private ResilientStream<SimpleRequest, SimpleResponse> stream(String name, List<Status> failures) {
        return supervisor.<SimpleRequest, SimpleResponse>bidi(name, "control-plane")
                .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                .onMessage(response -> { })
                .onReconnect(out -> out.send(message("subscribe")))
                .onFailure(failures::add)
                .start();
    }

    /** Breaks every open call from the server side with a retryable status. */
    private void breakOpenCalls() {
        // HEALTHY comes with "ready on a transport", which can be before the server has the call
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.open.isEmpty());
        for (StreamObserver<SimpleResponse> responses : server.open) {
            synchronized (responses) {
                responses.onError(Status.UNAVAILABLE.withDescription("server restarting").asRuntimeException());
            }
            server.open.remove(responses);
        }
    }

    /**
     * Breaks the stream's call and waits until it is back. The outage's attempts stay counted after
     * the reconnect; the stream is back within one 100 ms backoff, so polling for a state other than
     * HEALTHY could miss the outage altogether.
     */
    private void breakAndAwaitReconnect(ResilientStream<SimpleRequest, SimpleResponse> stream) {
        long reconnects = stream.snapshot().reconnects();
        breakOpenCalls();
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.snapshot().reconnects() > reconnects);
    }

    /** A stream that failed three attempts, then is healthy; returns its attempts count. */
    private int healthyAfterThreeFailedAttempts(ResilientStream<SimpleRequest, SimpleResponse> stream) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.failedCalls.get() >= 3);
        server.failCallsWith = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
        int attempts = stream.snapshot().attempts();
        assertThat(attempts).isGreaterThanOrEqualTo(3);
        return attempts;
    }

    @Test
    void aStreamHealthyForHealthyResetStartsItsNextBackoffFromTheFirstStep() throws Exception {
        start(settings(0, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        server.failCallsWith = Status.UNAVAILABLE.withDescription("starting");
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", new CopyOnWriteArrayList<>());
        healthyAfterThreeFailedAttempts(stream);

        skipped.addAndGet(Duration.ofSeconds(10).toNanos()); // healthy for healthy-reset
        breakAndAwaitReconnect(stream);
        assertThat(stream.snapshot().attempts()).as("the break counts as the first").isEqualTo(1);
    }

    @Test
    void aStreamHealthyForLessThanHealthyResetKeepsCountingItsAttempts() throws Exception {
        start(settings(0, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        server.failCallsWith = Status.UNAVAILABLE.withDescription("starting");
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", new CopyOnWriteArrayList<>());
        int attempts = healthyAfterThreeFailedAttempts(stream);

        skipped.addAndGet(Duration.ofSeconds(9).toNanos()); // well short of healthy-reset (10 s) with real time
        breakAndAwaitReconnect(stream);
        assertThat(stream.snapshot().attempts()).isEqualTo(attempts + 1);
    }

    @Test
    void maxAttemptsTurnsTheStreamFailedAndCallsOnFailure() throws Exception {
        start(settings(2, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        server.failCallsWith = Status.UNAVAILABLE.withDescription("gone for good");
        List<Status> failures = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", failures);

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.FAILED);
        // the first open and max-attempts (2) re-opens
        assertThat(server.failedCalls).hasValue(3);
        assertThat(failures).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).isEqualTo("gone for good");
        });
    }

    @Test
    void aStreamWhoseReconnectEventDoesNotFitTheQueueFailsNamingTheSetting() throws Exception {
        start(settings(0, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 1);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch occupied = new CountDownLatch(1);
        scheduler.execute(() -> {
            occupied.countDown();
            try {
                busy.await(10, TimeUnit.SECONDS); // the scheduler cannot drain meanwhile
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        occupied.await();
        server.failCallsWith = Status.UNAVAILABLE.withDescription("down");
        List<Status> failuresA = new CopyOnWriteArrayList<>();
        List<Status> failuresB = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> a = stream("a", failuresA);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.state() == StreamState.UNHEALTHY);
        ResilientStream<SimpleRequest, SimpleResponse> b = stream("b", failuresB);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.state().isTerminal());

        assertThat(b.state()).isEqualTo(StreamState.FAILED);
        assertThat(failuresB).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).isEqualTo(
                    "The reconnect queue is full (1 events): raise reconnect.queue-capacity");
        });
        server.failCallsWith = null;
        busy.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.state() == StreamState.HEALTHY);
        assertThat(failuresA).isEmpty();
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(Status.CANCELLED.withDescription("cancelled by the server"), true),
                Arguments.of(Status.RESOURCE_EXHAUSTED.withDescription(
                        "Connection closed after GOAWAY. HTTP/2 error code: ENHANCE_YOUR_CALM, debug data: too_many_pings"),
                        true),
                Arguments.of(Status.RESOURCE_EXHAUSTED.withDescription("quota exceeded"), false),
                Arguments.of(Status.INTERNAL.withDescription("RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR"),
                        true),
                Arguments.of(Status.INTERNAL.withDescription("bug in the server"), false),
                Arguments.of(Status.UNAVAILABLE.withDescription("restarting"), true),
                Arguments.of(Status.PERMISSION_DENIED.withDescription("not yours"), false));
    }

    /** What the server ends the call with decides: re-open, or FAILED after the one call. */
    @ParameterizedTest
    @MethodSource("statuses")
    void theRetryableStatusesWithTheirConditions(Status status, boolean retryable) throws Exception {
        start(settings(0, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        server.failCallsWith = status;
        List<Status> failures = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", failures);
        if (retryable) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.failedCalls.get() >= 3);
            assertThat(stream.state().isTerminal()).isFalse();
            assertThat(failures).isEmpty();
        } else {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.FAILED);
            assertThat(failures).singleElement().extracting(Status::getCode).isEqualTo(status.getCode());
            assertThat(server.failedCalls).hasValue(1);
        }
    }

    /** CANCELLED by the application (close) is not a break: no re-open, the server sees the cancel. */
    @Test
    void cancelledByTheApplicationIsNotRetried() throws Exception {
        start(settings(0, Duration.ofSeconds(2), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        List<Status> failures = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", failures);
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
        stream.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.open.isEmpty());
        assertThat(server.calls).hasSize(1);
        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
        assertThat(failures).isEmpty();
    }

    /**
     * The CANCELLED that follows {@code close()} reaches a stream that is already CLOSED, so the
     * flag is defence in depth; the rule itself: CANCELLED counts only when the application did not ask.
     */
    @Test
    void cancelledCountsOnlyWhenTheApplicationDidNotAsk() {
        assertThat(StreamSettings.DEFAULT.isRetryable(Status.CANCELLED, false)).isTrue();
        assertThat(StreamSettings.DEFAULT.isRetryable(Status.CANCELLED, true)).isFalse();
    }

    @Test
    void blockWaitsForRoomAndThenSucceeds() throws Exception {
        start(settings(0, Duration.ofMillis(200), 1, OverflowPolicy.BLOCK, Duration.ofSeconds(20)), 100);
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() != StreamState.HEALTHY);
        stream.send(message("1"));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                stream.send(message("2"));
            } catch (Throwable ex) {
                outcome.set(ex);
            }
            returned.countDown();
        });
        sender.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.getState() == Thread.State.TIMED_WAITING);
        assertThat(returned.getCount()).as("still waiting for room").isEqualTo(1);

        server.start();
        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outcome.get()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.calls.size() == 2 && server.calls.get(1).size() == 3);
        assertThat(server.calls.get(1)).containsExactly("subscribe", "1", "2");
    }

    /**
     * grpc-java's own connect backoff grows (1 s, 1.6 s, 2.56 s, ... with +/- 20 % jitter): after
     * its third failed connection attempt a channel tries again no sooner than 2.048 s later. While
     * the server is down its port accepts and closes connections (so the test counts the
     * attempts); the server comes back right after the third. With the check interval (200 ms) the
     * stream is back well before that floor, because the supervisor resets the channel's backoff.
     */
    @Test
    void theCheckIntervalBringsAStreamBackSoonerThanTheChannelsOwnBackoff() throws Exception {
        start(settings(0, Duration.ofMillis(200), 10, OverflowPolicy.FAIL, Duration.ZERO), 100);
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream("s", new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);

        server.stop();
        CountDownLatch thirdConnect = new CountDownLatch(3);
        try (java.net.ServerSocket refusing = new java.net.ServerSocket()) {
            refusing.setReuseAddress(true);
            refusing.bind(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            Thread acceptor = new Thread(() -> {
                while (!refusing.isClosed()) {
                    try (java.net.Socket connection = refusing.accept()) {
                        thirdConnect.countDown();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            acceptor.start();
            assertThat(thirdConnect.await(20, TimeUnit.SECONDS)).as("three failed connection attempts").isTrue();
        }
        // the port can stay taken for a moment after the refusing socket closed
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(java.io.IOException.class).until(() -> {
                    server.start();
                    return true;
                });
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
        assertThat(Duration.ofNanos(System.nanoTime() - restarted))
                .as("back before grpc-java's next attempt could be").isLessThan(Duration.ofMillis(2048));
    }
}
