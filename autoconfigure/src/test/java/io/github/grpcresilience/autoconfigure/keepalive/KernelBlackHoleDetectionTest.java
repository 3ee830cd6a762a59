package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.testing.KernelBlackHole;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A peer that vanishes without FIN or RST (packets dropped by nftables on loopback) against a
 * server with no special settings: with the starter's defaults the client notices within
 * idle + interval x count + 3 s = 38 s, on a quiet stream and on an idle READY channel; with both
 * keepalive layers off it does not notice in the same window. Both configurations run at once
 * against the same black hole.
 */
class KernelBlackHoleDetectionTest {

    /** 20 s idle + 3 probes x 5 s + 3 s for scheduling. */
    private static final Duration WINDOW = Duration.ofSeconds(38);

    @BeforeAll
    static void requireKernelFaults() {
        KernelBlackHole.assumeOrFailInCi();
    }

    private static ApplicationContextRunner client(String target, String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcClientAutoConfiguration.class))
                .withPropertyValues("grpc.client.GLOBAL.address=" + target,
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s")
                .withPropertyValues(properties);
    }

    @Test
    void defaultsFindABlackHoledPeerOnStreamsAndIdleChannelsAndLayersOffDoNot() throws Exception {
        Server server = TestServers.start();
        String target = "static://127.0.0.1:" + server.getPort();
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort())) {
            client(target).run(defaults -> client(target,
                    "grpc.resilience.client.defaults.tcp-keepalive.enabled=false",
                    "grpc.resilience.client.defaults.keepalive.enabled=false").run(layersOff -> {
                GrpcChannelFactory withDefaults = defaults.getBean(GrpcChannelFactory.class);
                GrpcChannelFactory withLayersOff = layersOff.getBean(GrpcChannelFactory.class);
                CompletableFuture<Status> defaultStream =
                        QuietStream.open(withDefaults.createChannel("stream"));
                CompletableFuture<Status> layersOffStream =
                        QuietStream.open(withLayersOff.createChannel("stream"));
                connect(withDefaults);
                connect(withLayersOff);

                blackHole.engage();
                long engaged = System.nanoTime();

                Status status = defaultStream.get(WINDOW.toNanos() - (System.nanoTime() - engaged), TimeUnit.NANOSECONDS);
                Duration detectedAfter = Duration.ofNanos(System.nanoTime() - engaged);
                assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                // The configured TCP_USER_TIMEOUT (35 s) is in force, not the 20 s HTTP/2 keepalive
                // timeout grpc-java writes over it, which would end the connection at the second probe (~25 s).
                assertThat(detectedAfter).isGreaterThan(Duration.ofSeconds(30));
                await().atMost(WINDOW.minusNanos(System.nanoTime() - engaged))
                        .until(() -> withDefaults.getConnectivityState().get("idle") != ConnectivityState.READY);

                long remaining = WINDOW.toNanos() - (System.nanoTime() - engaged);
                await().pollDelay(Duration.ofNanos(Math.max(0, remaining))).atMost(WINDOW).until(() -> true);
                assertThat(layersOffStream).as("stream without keepalive after %s", WINDOW).isNotDone();
                assertThat(withLayersOff.getConnectivityState().get("idle")).isEqualTo(ConnectivityState.READY);
            }));
        } finally {
            server.shutdownNow();
        }
    }

    private static void connect(GrpcChannelFactory factory) {
        SimpleServiceGrpc.newBlockingStub(factory.createChannel("idle")).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
        assertThat(factory.getConnectivityState().get("idle")).isEqualTo(ConnectivityState.READY);
    }
}
