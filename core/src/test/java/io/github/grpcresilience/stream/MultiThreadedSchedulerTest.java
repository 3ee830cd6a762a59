package io.github.grpcresilience.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's decisions are serial on a scheduler with several threads (the scheduler bean
 * can be replaced by one): a decision of one stream that is slow (here: the channel lookup it
 * makes) holds back the decision of another stream until it is done, instead of running beside it.
 */
class MultiThreadedSchedulerTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
    private RecordingServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void decisionsNeverOverlapAndStreamsStillComeBack() throws Exception {
        server = RecordingServer.onFreePort(UnaryOperator.identity()).start();
        server.failCallsWith = Status.UNAVAILABLE.withDescription("not yet");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch anotherEntered = new CountDownLatch(1);
        StreamSupervisor supervisor = new StreamSupervisor(name -> StreamSupervisorTest.fast(10, OverflowPolicy.FAIL),
                name -> {
                    int now = inFlight.incrementAndGet();
                    maxInFlight.accumulateAndGet(now, Math::max);
                    try {
                        if (lookups.getAndIncrement() == 0) {
                            firstEntered.countDown();
                            // the first decision is slow: long enough for a second one to start beside it
                            anotherEntered.await(2, TimeUnit.SECONDS);
                        } else {
                            anotherEntered.countDown();
                        }
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return Optional.of(channel);
                }, scheduler, 100, () -> 0.5, System::nanoTime, Clock.systemUTC());
        try {
            ResilientStream<SimpleRequest, SimpleResponse> a = open(supervisor, "a");
            assertThat(firstEntered.await(10, TimeUnit.SECONDS)).as("stream a broke and its decision began").isTrue();
            ResilientStream<SimpleRequest, SimpleResponse> b = open(supervisor, "b");
            await().atMost(Duration.ofSeconds(10)).until(() -> lookups.get() >= 3);

            assertThat(maxInFlight).as("decisions running at once").hasValue(1);
            server.failCallsWith = null;
            await().atMost(Duration.ofSeconds(10)).until(() -> a.state() == StreamState.HEALTHY
                    && b.state() == StreamState.HEALTHY);
        } finally {
            supervisor.close();
        }
    }

    private ResilientStream<SimpleRequest, SimpleResponse> open(StreamSupervisor supervisor, String name) {
        return supervisor.<SimpleRequest, SimpleResponse>bidi(name, name)
                .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                .onMessage(response -> { })
                .start();
    }
}
