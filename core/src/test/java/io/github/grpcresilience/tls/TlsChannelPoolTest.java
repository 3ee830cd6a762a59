package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.pool.ChannelPool;
import io.github.grpcresilience.pool.PoolSettings;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pool grows with load over TLS and mutual TLS, on both Netty flavours: against a server that
 * lets each connection run {@value #STREAMS_PER_CONNECTION} calls at once, thirty long calls run
 * together on three members, each its own TLS connection, instead of queueing on one.
 */
class TlsChannelPoolTest {

    private static final int STREAMS_PER_CONNECTION = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Periodic resizes an hour apart: every resize here is one the load brings forward. */
    private static final PoolSettings SETTINGS = new PoolSettings(1, 3, 9, 0, Duration.ofHours(1), 2, null);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void thirtyLongCallsRunTogetherOnAPoolThatGrewToThree(TlsCase tls) throws Exception {
        HoldingService service = new HoldingService();
        Server server = TlsCase.maxConcurrentCallsPerConnection(tls.serverBuilder(0), STREAMS_PER_CONNECTION)
                .addService(service).build().start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        TransportHooks hooks = new TransportHooks(TransportKind.AUTO);
        List<String> events = new CopyOnWriteArrayList<>();
        ChannelPool pool = ChannelPool.create(SETTINGS, () -> {
            ManagedChannelBuilder<?> builder = tls.channelBuilder(server.getPort());
            var unused = hooks.install(builder, TcpKeepAlive.DEFAULT, (code, data) -> { }).orElseThrow();
            return builder.build();
        }, scheduler, System::nanoTime, new ChannelPool.Events() {
            @Override
            public void resized(int from, int to, int peakCalls) {
                events.add("resized " + from + " -> " + to);
            }

            @Override
            public void replaced(int memberId, String reason) {
                events.add("replaced " + memberId + " (" + reason + ")");
            }

            @Override
            public void saturated(boolean saturated, int size, int peakCalls) {
                events.add("saturated " + saturated);
            }

            @Override
            public void resizeFailed(RuntimeException failure) {
                events.add("resize failed: " + failure);
            }
        });
        try {
            List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
            for (int wave = 1; wave <= 3; wave++) {
                for (int i = 0; i < 10; i++) {
                    calls.add(SimpleServiceGrpc.newFutureStub(pool)
                            .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(HoldingService.HOLD).build()));
                }
                int held = wave * 10;
                await().atMost(WAIT).until(() -> service.held() == held && pool.size() >= Math.min(3, held / 9 + 1));
            }

            assertThat(pool.size()).isEqualTo(3);
            assertThat(pool.members()).extracting(ChannelPool.MemberView::inFlight).containsExactly(10, 10, 10);
            assertThat(events).containsExactly("resized 1 -> 2", "resized 2 -> 3");
            service.release();
            await().atMost(WAIT).until(() -> calls.stream().allMatch(ListenableFuture::isDone));
            assertThat(calls).allSatisfy(call -> assertThat(Futures.getUnchecked(call).getResponseMessage())
                    .isEqualTo("released"));
        } finally {
            service.release();
            pool.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            hooks.close();
            scheduler.shutdownNow();
        }
    }
}
