package io.github.grpcresilience.connectivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The monitor follows a real channel through a server outage and back, never connecting by itself. */
class ChannelMonitorTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T00:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void followsStatesAndRecordsFailures() throws Exception {
        Server server = TestServers.start();
        int port = server.getPort();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        ManualClock clock = new ManualClock();
        ChannelMonitor monitor = new ChannelMonitor("inventory", channel, clock);
        List<String> transitions = new CopyOnWriteArrayList<>();
        monitor.addListener((name, from, to) -> transitions.add(from + "->" + to));
        try {
            monitor.start();
            Instant created = clock.instant();
            assertThat(monitor.snapshot().state()).isEqualTo(ConnectivityState.IDLE);
            // Never connects by itself: still IDLE after a while.
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);

            call(channel);
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().state() == ConnectivityState.READY);
            assertThat(transitions).contains("IDLE->CONNECTING", "CONNECTING->READY");

            clock.advance(Duration.ofSeconds(10));
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().state() != ConnectivityState.READY);
            Instant lostAt = clock.instant();
            clock.advance(Duration.ofSeconds(5));

            StatusRuntimeException failure = null;
            try {
                call(channel);
            } catch (StatusRuntimeException ex) {
                failure = ex;
            }
            assertThat(failure).isNotNull();
            monitor.recordFailure(failure.getStatus());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> monitor.snapshot().state() == ConnectivityState.TRANSIENT_FAILURE);
            ChannelMonitor.Snapshot failing = monitor.snapshot();
            // IDLE after the lost connection still counts as healthy: the grace starts when it left IDLE.
            assertThat(failing.lastHealthy()).isEqualTo(lostAt.plusSeconds(5));
            assertThat(failing.lastFailure().code()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(failing.transitions()).isGreaterThanOrEqualTo(4);
            assertThat(created).isBefore(failing.since());

            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new TestServers.QuietService()).build().start();
            channel.resetConnectBackoff();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().state() == ConnectivityState.READY);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().state() == ConnectivityState.SHUTDOWN);
        assertThat(transitions).last().asString().endsWith("->SHUTDOWN");
    }

    private static void call(ManagedChannel channel) {
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
    }
}
