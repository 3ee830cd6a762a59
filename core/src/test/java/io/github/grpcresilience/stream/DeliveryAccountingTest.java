package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing accepted is lost: many senders race the stream's end (the application's {@code close()},
 * or a non-retryable status from the server) under each overflow policy, and every message sent is
 * counted exactly once as written to a call (seen by a client interceptor), handed back to
 * {@code onUnsent}, or refused ({@code send} threw). Real Netty server and channel on loopback.
 */
class DeliveryAccountingTest {

    private static final int ITERATIONS = 24;
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 60;
    private static final int TOTAL = SENDERS * PER_SENDER;

    /** Messages a server call takes before it fails the call with PERMISSION_DENIED; -1 never fails. */
    private volatile int failAfter = -1;
    private final Queue<String> written = new ConcurrentLinkedQueue<>();
    /** Over all iterations of a test: written, handed back, refused (each fate must occur). */
    private final long[] fates = new long[3];
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void startServer() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
                        int limit = failAfter;
                        AtomicInteger received = new AtomicInteger();
                        if (limit == 0) {
                            responses.onError(Status.PERMISSION_DENIED.asRuntimeException());
                        }
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(SimpleRequest request) {
                                if (limit > 0 && received.incrementAndGet() == limit) {
                                    responses.onError(Status.PERMISSION_DENIED.asRuntimeException());
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
        ClientInterceptor counting = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void sendMessage(Q message) {
                        super.sendMessage(message);
                        String text = ((SimpleRequest) message).getRequestMessage();
                        if (text.startsWith("m-")) {
                            written.add(text);
                        }
                    }
                };
            }
        };
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .intercept(counting).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    private StreamSupervisor supervisor(OverflowPolicy overflow) {
        StreamSettings settings = new StreamSettings(
                new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2), 0,
                Duration.ofMillis(200), Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), 4, overflow,
                Duration.ofMillis(20));
        return new StreamSupervisor(name -> settings, name -> Optional.of(channel), scheduler, 1000, () -> 0.5,
                System::nanoTime, Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void sendersRacingCloseLoseNothing(OverflowPolicy overflow) throws Exception {
        StreamSupervisor supervisor = supervisor(overflow);
        for (int i = 0; i < ITERATIONS; i++) {
            // even iterations close a stream that was never started (senders fill and wait on its buffer)
            race(supervisor, "close-" + overflow + "-" + i, i % 2 == 1, (i * 37) % TOTAL, ResilientStream::close);
        }
        supervisor.close();
        // closing a stream that was never started with senders waiting on its full buffer: both fates occur
        assertThat(fates[1]).as("handed back").isPositive();
        assertThat(fates[2]).as("refused").isPositive();
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void sendersRacingANonRetryableFailureLoseNothing(OverflowPolicy overflow) throws Exception {
        StreamSupervisor supervisor = supervisor(overflow);
        for (int i = 0; i < ITERATIONS; i++) {
            // 0: the call fails as it starts; 1: on the hook's message; up to 5: hello and the 4 a full buffer holds
            failAfter = i % 6;
            race(supervisor, "fail-" + overflow + "-" + i, true, (i * 37) % TOTAL, stream -> {
                // the server ends the call: wait until the stream has heard it (bounded)
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.FAILED);
            });
        }
        supervisor.close();
        // which fates occur here depends on timing (the server's status may arrive after the last send)
    }

    private interface Ender {
        void end(ResilientStream<SimpleRequest, SimpleResponse> stream) throws Exception;
    }

    private void race(StreamSupervisor supervisor, String name, boolean start, int endAfter, Ender ender)
            throws Exception {
        written.clear();
        Queue<String> handedBack = new ConcurrentLinkedQueue<>();
        Queue<String> refused = new ConcurrentLinkedQueue<>();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                .<SimpleRequest, SimpleResponse>bidi(name, "control-plane")
                .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                .onMessage(response -> { })
                .onReconnect(out -> out.send(SimpleRequest.newBuilder().setRequestMessage("hello").build()))
                .onUnsent(messages -> messages.forEach(m -> handedBack.add(m.getRequestMessage())))
                .build();
        AtomicInteger attempted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException ex) {
                    return;
                }
                for (int j = 0; j < PER_SENDER; j++) {
                    String text = "m-" + sender + "-" + j;
                    attempted.incrementAndGet();
                    try {
                        stream.send(SimpleRequest.newBuilder().setRequestMessage(text).build());
                    } catch (OutboundBufferFullException | StreamEndedException ex) {
                        refused.add(text);
                    } catch (Throwable ex) {
                        unexpected.add(ex);
                    }
                }
            }, name + "-sender-" + t);
            thread.start();
            senders.add(thread);
        }
        if (start) {
            stream.start();
        }
        go.countDown();
        for (int spins = 0; attempted.get() < endAfter && spins < 10_000_000; spins++) {
            Thread.onSpinWait();
        }
        ender.end(stream);
        for (Thread thread : senders) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("sender finished").isFalse();
        }
        assertThat(unexpected).isEmpty();
        assertThat(stream.state().isTerminal()).isTrue();
        // a flush that polled before the end may still be inside the interceptor: bounded wait
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(written.size() + handedBack.size()
                + refused.size()).as("%s: written %d + handed back %d + refused %d", name, written.size(),
                        handedBack.size(), refused.size()).isEqualTo(TOTAL));
        List<String> all = new ArrayList<>(written);
        all.addAll(handedBack);
        all.addAll(refused);
        Set<String> distinct = new HashSet<>(all);
        assertThat(all).as("%s: written %d + handed back %d + refused %d", name, written.size(), handedBack.size(),
                refused.size()).hasSize(TOTAL);
        assertThat(distinct).as("each message counted once").hasSize(TOTAL);
        fates[0] += written.size();
        fates[1] += handedBack.size();
        fates[2] += refused.size();
    }
}
