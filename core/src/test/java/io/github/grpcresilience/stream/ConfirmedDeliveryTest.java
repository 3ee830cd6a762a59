package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Confirmed delivery: a server that answers every message {@code m-N} with the highest N it has
 * received on the call (a cumulative ack), behind the fault-injecting proxy. Messages written
 * after the proxy {@code cut} the connection never reach the server; with {@code confirmedBy} the
 * stream writes them again after the reconnect (or hands them back when closed), without it they
 * are lost unknown. Real Netty server and channel on loopback.
 */
class ConfirmedDeliveryTest {

    private static final int CAPACITY = 4;

    /** Every m-N the server received, over all calls, in arrival order. */
    private final Queue<Integer> received = new ConcurrentLinkedQueue<>();
    /** The response side and highest N of every call, to confirm on demand. */
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean holdConfirmations;
    private final Queue<SimpleRequest> handedBack = new ConcurrentLinkedQueue<>();
    private final AtomicLong confirmationsSeen = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private FaultInjectingProxy proxy;
    private ManagedChannel channel;
    private StreamSupervisor supervisor;

    private record Call(StreamObserver<SimpleResponse> responses, AtomicLong highest) {
        synchronized void confirm() {
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(Long.toString(highest.get())).build());
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
                        Call call = new Call(responses, new AtomicLong());
                        calls.add(call);
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(SimpleRequest request) {
                                String text = request.getRequestMessage();
                                if (text.startsWith("m-")) {
                                    int n = Integer.parseInt(text.substring(2));
                                    received.add(n);
                                    call.highest().accumulateAndGet(n, Math::max);
                                    if (!holdConfirmations) {
                                        call.confirm();
                                    }
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        };
                    }
                }).build().start();
        proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
        StreamSettings settings = new StreamSettings(
                new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2), 0,
                Duration.ofMillis(200), Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), CAPACITY,
                OverflowPolicy.FAIL, Duration.ofMillis(20));
        supervisor = new StreamSupervisor(name -> settings, name -> Optional.of(channel), scheduler, 1000, () -> 0.5,
                System::nanoTime, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        supervisor.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    private ResilientStream<SimpleRequest, SimpleResponse> stream(boolean confirmed) {
        StreamSupervisor.BidiBuilder<SimpleRequest, SimpleResponse> builder = supervisor
                .<SimpleRequest, SimpleResponse>bidi("acks", "control-plane")
                .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                .onMessage(response -> confirmationsSeen.accumulateAndGet(
                        Long.parseLong(response.getResponseMessage()), Math::max))
                .onReconnect(out -> out.send(message("hello")))
                .onUnsent(handedBack::addAll);
        if (confirmed) {
            builder.confirmedBy((response, message) ->
                    number(message) <= Long.parseLong(response.getResponseMessage()));
        }
        return builder.start();
    }

    @Test
    void messagesWrittenToACallThatBrokeAreWrittenAgainAfterTheReconnect() {
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream(true);
        sendAndAwaitConfirmation(stream, 3);

        writeIntoACutConnection(stream, 4, 6);
        proxy.reset();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(6));
        sendAll(stream, 7, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationsSeen.get() == 7);
        assertThat(received).as("each once, in order").containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(handedBack).isEmpty();
    }

    @Test
    void withoutConfirmationMessagesWrittenToACallThatBrokeAreLostUnknown() {
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream(false);
        sendAndAwaitConfirmation(stream, 3);

        writeIntoACutConnection(stream, 4, 6);
        proxy.reset();

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.snapshot().reconnects() == 1);
        sendAll(stream, 7, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(7));
        assertThat(received).containsExactly(1, 2, 3, 7);
        assertThat(handedBack).isEmpty();
    }

    @Test
    void closeHandsBackWhatTheServerNeverConfirmedOldestFirst() {
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream(true);
        sendAndAwaitConfirmation(stream, 1);

        writeIntoACutConnection(stream, 2, 3);
        stream.close();

        assertThat(handedBack).extracting(ConfirmedDeliveryTest::number).containsExactly(2L, 3L);
        assertThat(received).containsExactly(1);
    }

    @Test
    void atMostABufferCapacityIsUnconfirmedTheRestWaitsInTheBuffer() {
        holdConfirmations = true;
        ResilientStream<SimpleRequest, SimpleResponse> stream = stream(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.HEALTHY);
        sendAll(stream, 1, CAPACITY + 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == CAPACITY);
        assertThat(stream.snapshot().buffered()).isEqualTo(2);

        holdConfirmations = false;
        calls.get(calls.size() - 1).confirm();

        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationsSeen.get() == CAPACITY + 2);
        assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(1, CAPACITY + 2).boxed().toList());
        assertThat(stream.snapshot().buffered()).isZero();
    }

    /** Sends m-1 to m-{@code last} and waits until the server confirmed them all. */
    private void sendAndAwaitConfirmation(ResilientStream<SimpleRequest, SimpleResponse> stream, int last) {
        sendAll(stream, 1, last);
        await().atMost(Duration.ofSeconds(10)).until(() -> confirmationsSeen.get() == last);
    }

    /** The proxy stops passing the client's bytes; the messages are written to the call and never arrive. */
    private void writeIntoACutConnection(ResilientStream<SimpleRequest, SimpleResponse> stream, int from, int to) {
        proxy.cut();
        sendAll(stream, from, to);
        assertThat(stream.snapshot().buffered()).as("written to the call, not buffered").isZero();
    }

    private static void sendAll(ResilientStream<SimpleRequest, SimpleResponse> stream, int from, int to) {
        for (int n = from; n <= to; n++) {
            stream.send(message("m-" + n));
        }
    }

    private static SimpleRequest message(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    private static long number(SimpleRequest message) {
        return Long.parseLong(message.getRequestMessage().substring(2));
    }
}
