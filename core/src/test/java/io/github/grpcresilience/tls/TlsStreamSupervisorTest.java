package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.stream.OverflowPolicy;
import io.github.grpcresilience.stream.RecordingServer;
import io.github.grpcresilience.stream.ReconnectBackoff;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSettings;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A supervised bidi stream over TLS and mutual TLS, on both Netty flavours, comes back after the
 * server restarts on the same port (a new connection, so a new handshake), resubscribes and
 * delivers what was sent during the outage, in order, once.
 */
class TlsStreamSupervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** 100 ms first backoff, 200 ms check interval: a restart takes about a second. */
    private static final StreamSettings FAST = new StreamSettings(
            new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1.6, 0.2), 0, Duration.ofMillis(200),
            Duration.ofSeconds(10), StreamSettings.DEFAULT.retryableCodes(), 1000, OverflowPolicy.FAIL,
            Duration.ofMillis(300));

    private static SimpleRequest message(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void comesBackAfterAServerRestart(TlsCase tls) throws Exception {
        RecordingServer server = RecordingServer.onFreePortBuiltBy(tls::serverBuilder).start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        TransportHooks hooks = new TransportHooks(TransportKind.AUTO);
        ManagedChannelBuilder<?> builder = tls.channelBuilder(server.port());
        var unused = hooks.install(builder, TcpKeepAlive.DEFAULT, (code, data) -> { }).orElseThrow();
        ManagedChannel channel = builder.build();
        StreamSupervisor supervisor = new StreamSupervisor(name -> FAST, name -> Optional.of(channel), scheduler,
                20_000, ThreadLocalRandom.current()::nextDouble, System::nanoTime, Clock.systemUTC());
        try {
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicInteger opens = new AtomicInteger();
            List<Status> failures = new CopyOnWriteArrayList<>();
            ResilientStream<SimpleRequest, SimpleResponse> stream = supervisor
                    .<SimpleRequest, SimpleResponse>bidi("config-updates", "control-plane")
                    .open(responses -> SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(responses))
                    .onMessage(response -> received.add(response.getResponseMessage()))
                    .onReconnect(out -> out.send(message("subscribe-" + opens.incrementAndGet())))
                    .onFailure(failures::add)
                    .start();
            stream.send(message("a"));
            await().atMost(WAIT).until(() -> received.size() == 2);
            assertThat(server.calls).containsExactly(List.of("subscribe-1", "a"));

            server.stop();
            await().atMost(WAIT).until(() -> stream.state() != StreamState.HEALTHY);
            stream.send(message("b"));
            stream.send(message("c"));
            server.start();

            await().atMost(WAIT).until(() -> server.calls.size() == 2 && server.calls.get(1).size() == 3);
            assertThat(server.calls.get(1)).containsExactly("subscribe-2", "b", "c");
            await().atMost(WAIT).until(() -> received.size() == 5);
            assertThat(received).containsExactly("subscribe-1", "a", "subscribe-2", "b", "c");
            assertThat(stream.state()).isEqualTo(StreamState.HEALTHY);
            assertThat(stream.snapshot().reconnects()).isEqualTo(1);
            assertThat(failures).isEmpty();
        } finally {
            supervisor.close();
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.close();
            hooks.close();
            scheduler.shutdownNow();
        }
    }
}
