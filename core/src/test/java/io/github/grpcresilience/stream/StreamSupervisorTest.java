package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resilient streams against a real server on loopback that is stopped and started on the same port. */
class StreamSupervisorTest {

    /** Short timings so a test takes seconds: 100 ms first backoff, 200 ms check interval. */
    static StreamSettings fast(int capacity, OverflowPolicy overflow) {
        return new StreamSettings(new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2), 0,
                Duration.ofMillis(200), Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), capacity,
                overflow, Duration.ofMillis(300));
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private RecordingServer server;
    private ManagedChannel channel;
    private StreamSupervisor supervisor;

    private void start(StreamSettings settings) throws Exception {
        start(settings, UnaryOperator.identity());
    }

    private void start(StreamSettings settings, UnaryOperator<io.grpc.netty.NettyServerBuilder> customizer)
            throws Exception {
        server = RecordingServer.onFreePort(customizer).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        supervisor = new StreamSupervisor(name -> settings, name -> Optional.of(channel), scheduler, 20_000,
                ThreadLocalRandom.current()::nextDouble, System::nanoTime, Clock.systemUTC());
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

    private static SimpleRequest message(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    private ResilientStream<SimpleRequest, SimpleResponse> subscription(List<String> received, AtomicInteger opens,
            List<Status> failures) {
        return supervisor.<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                .onMessage(response -> received.add(response.getResponseMessage()))
                .onReconnect(out -> out.send(message("subscribe-" + opens.incrementAndGet())))
                .onFailure(failures::add)
                .start();
    }

    @Test
    void comesBackAfterAServerRestartAndDeliversWhatWasSentDuringTheOutageInOrderOnce() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL));
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        List<Status> failures = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = subscription(received, opens, failures);

        stream.send(message("a"));
        stream.send(message("b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
        assertThat(server.calls).containsExactly(List.of("subscribe-1", "a", "b"));
        assertThat(stream.state()).isEqualTo(StreamState.HEALTHY);

        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.UNHEALTHY
                || stream.state() == StreamState.RECONNECTING);
        for (String text : List.of("c", "d", "e")) {
            stream.send(message(text));
        }
        assertThat(stream.snapshot().buffered()).isEqualTo(3);

        server.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.calls.size() == 2 && server.calls.get(1).size() == 4);
        assertThat(server.calls.get(1)).containsExactly("subscribe-2", "c", "d", "e");
        assertThat(opens).hasValue(2);
        assertThat(stream.state()).isEqualTo(StreamState.HEALTHY);
        assertThat(stream.snapshot().reconnects()).isEqualTo(1);
        assertThat(stream.snapshot().buffered()).isZero();
        assertThat(failures).isEmpty();
    }

    /**
     * The reconnect hook is application code, so no lock of the stream is held while it runs: a
     * {@code send} from another thread, awaited by the hook, returns (it would deadlock on the
     * call's write lock otherwise), and its message is still written after everything the hook wrote.
     */
    @Test
    void theReconnectHookRunsWithoutTheStreamsLocksAndStillWritesFirst() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL));
        java.util.concurrent.ExecutorService other = Executors.newSingleThreadExecutor();
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<ResilientStream<SimpleRequest, SimpleResponse>> self =
                new java.util.concurrent.atomic.AtomicReference<>();
        List<Boolean> sendReturned = new CopyOnWriteArrayList<>();
        try {
            ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                    .<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                    .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                    .onMessage(response -> received.add(response.getResponseMessage()))
                    .onReconnect(out -> {
                        java.util.concurrent.Future<?> sent = other.submit(() -> self.get().send(message("other")));
                        try {
                            sent.get(5, TimeUnit.SECONDS);
                            sendReturned.add(true);
                        } catch (Exception ex) {
                            sendReturned.add(false);
                        }
                        out.send(message("subscribe"));
                    })
                    .build();
            self.set(stream);
            stream.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertThat(sendReturned).containsExactly(true);
            assertThat(server.calls).containsExactly(List.of("subscribe", "other"));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aServerStreamingCallIsReopenedWithItsRequestAfterARestart() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL));
        List<String> received = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                .<SimpleRequest, SimpleResponse>serverStream("watch", "control-plane")
                .open(SimpleServiceGrpc.newStub(channel)::serverStreamingRpc)
                .request(message("agent-7"))
                .onMessage(response -> received.add(response.getResponseMessage()))
                .start();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThatThrownBy(() -> stream.send(message("x"))).isInstanceOf(UnsupportedOperationException.class);

        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() != StreamState.HEALTHY);
        server.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertThat(server.calls).containsExactly(List.of("agent-7"), List.of("agent-7"));
        assertThat(received).containsExactly("welcome agent-7", "welcome agent-7");
        assertThat(stream.snapshot().reconnects()).isEqualTo(1);
    }

    @Test
    void aNonRetryableStatusFailsTheStreamWithoutReconnecting() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL));
        server.failCallsWith = Status.PERMISSION_DENIED.withDescription("not yours");
        List<Status> failures = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        ResilientStream<SimpleRequest, SimpleResponse> stream =
                subscription(new CopyOnWriteArrayList<>(), opens, failures);

        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.FAILED);
        assertThat(failures).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).isEqualTo("not yours");
        });
        // still listed, so health can report it DOWN; never re-opened
        assertThat(supervisor.streams()).containsExactly(stream);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
        // the server saw exactly one call; the client's open hook may or may not have run before the
        // failure arrived (a race the test used to assume away)
        assertThat(server.failedCalls).hasValue(1);
        assertThat(opens.get()).isLessThanOrEqualTo(1);
        assertThatThrownBy(() -> stream.send(message("late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWhileWaitingForAReconnectStopsForGood() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL));
        AtomicInteger opens = new AtomicInteger();
        ResilientStream<SimpleRequest, SimpleResponse> stream =
                subscription(new CopyOnWriteArrayList<>(), opens, new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.state().equals(StreamState.HEALTHY));

        stream.close();
        assertThat(stream.state()).isEqualTo(StreamState.CLOSED);
        assertThat(supervisor.streams()).isEmpty();
        int opensAtClose = opens.get();
        server.start();
        channel.resetConnectBackoff();
        // Ten check intervals and well past the longest backoff: a reconnect would have happened.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(server.calls).hasSize(1);
        assertThat(opens).hasValue(opensAtClose);
    }

    @Test
    void overflowFailThrowsAClearException() throws Exception {
        start(fast(2, OverflowPolicy.FAIL));
        ResilientStream<SimpleRequest, SimpleResponse> stream = downStream();
        stream.send(message("1"));
        stream.send(message("2"));
        assertThatThrownBy(() -> stream.send(message("3"))).isInstanceOf(OutboundBufferFullException.class)
                .hasMessageContaining("'config-updates' is full (2 messages)")
                .hasMessageContaining("outbound-buffer.capacity");
        assertThat(stream.snapshot().buffered()).isEqualTo(2);
    }

    @Test
    void overflowDropOldestKeepsTheNewestAndCountsTheDropped() throws Exception {
        start(fast(2, OverflowPolicy.DROP_OLDEST));
        List<ResilientStream<?, ?>> droppedOn = new CopyOnWriteArrayList<>();
        supervisor.addListener(new StreamListener() {
            @Override
            public void onDropped(ResilientStream<?, ?> stream) {
                droppedOn.add(stream);
            }
        });
        ResilientStream<SimpleRequest, SimpleResponse> stream = downStream();
        for (String text : List.of("1", "2", "3", "4")) {
            stream.send(message(text));
        }
        assertThat(stream.snapshot().dropped()).isEqualTo(2);
        assertThat(droppedOn).hasSize(2);
        server.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.calls.size() == 2 && server.calls.get(1).size() == 3);
        assertThat(server.calls.get(1)).containsExactly("subscribe-2", "3", "4");
    }

    @Test
    void overflowBlockWaitsForRoomThenGivesUp() throws Exception {
        start(fast(1, OverflowPolicy.BLOCK));
        ResilientStream<SimpleRequest, SimpleResponse> stream = downStream();
        stream.send(message("1"));
        long before = System.nanoTime();
        assertThatThrownBy(() -> stream.send(message("2"))).isInstanceOf(OutboundBufferFullException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    /** A started stream whose server has gone away (stopped, not yet restarted). */
    private ResilientStream<SimpleRequest, SimpleResponse> downStream() throws Exception {
        ResilientStream<SimpleRequest, SimpleResponse> stream =
                subscription(new CopyOnWriteArrayList<>(), new AtomicInteger(), new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() != StreamState.HEALTHY);
        return stream;
    }

    @Test
    void maxAgeWithGraceReEstablishesTheStreamWithoutTheApplicationSeeingAnError() throws Exception {
        start(fast(1000, OverflowPolicy.FAIL), builder -> builder.maxConnectionAge(1, TimeUnit.SECONDS)
                .maxConnectionAgeGrace(500, TimeUnit.MILLISECONDS));
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        List<Status> failures = new CopyOnWriteArrayList<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = subscription(received, opens, failures);
        await().atMost(Duration.ofSeconds(10)).until(() -> opens.get() >= 3);
        stream.send(message("after"));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after"));
        assertThat(failures).isEmpty();
        assertThat(stream.snapshot().reconnects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aThousandStreamsOverOneChannelAllComeBackWithoutAThreadPerStream() throws Exception {
        start(fast(10, OverflowPolicy.FAIL));
        int count = 1000;
        List<ResilientStream<SimpleRequest, SimpleResponse>> streams = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(supervisor.<SimpleRequest, SimpleResponse>bidi("s" + i, "control-plane")
                    .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                    .onMessage(response -> { })
                    .onReconnect(out -> out.send(message("hello")))
                    .start());
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.stream().allMatch(stream -> stream.state() == StreamState.HEALTHY));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.calls.size() == count);
        int threadsBefore = Thread.activeCount();

        server.stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.stream().noneMatch(stream -> stream.state() == StreamState.HEALTHY));
        server.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> streams.stream().allMatch(stream -> stream.state() == StreamState.HEALTHY));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.calls.size() == 2 * count);
        assertThat(Thread.activeCount() - threadsBefore).as("threads added for %d streams", count).isLessThan(50);
        assertThat(supervisor.streams()).hasSize(count);
        assertThat(Set.copyOf(streams.stream().map(s -> s.snapshot().reconnects()).toList())).containsExactly(1L);
    }
}
