package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.autoconfigure.netdevh.PortZeroGrpcServer;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client that pings faster than a server permits gets GOAWAY too_many_pings; the starter
 * detects it on an active stream and on an idle connection, counts it and logs one ERROR line
 * naming the channel and the property. grpc-java clamps client keepalive to 10 s, so each case
 * takes three 10 s pings (the server's two strikes, then GOAWAY): about 30 s.
 */
@ExtendWith(OutputCaptureExtension.class)
class TooManyPingsDetectionTest {

    /** Three strikes at 10 s each, plus scheduling slack. */
    private static final Duration DETECTION_WINDOW = Duration.ofSeconds(45);

    @Test
    void detectedOnAnActiveStreamAndOnAnIdleConnection(CapturedOutput output) throws Exception {
        // A server with grpc-java's defaults: one ping per 5 minutes, none without calls.
        Server server = TestServers.start();
        String target = "static://127.0.0.1:" + server.getPort();
        try {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                    .withConfiguration(NetDevhTesting.client())
                    .withPropertyValues("grpc.client.GLOBAL.address=" + target,
                            "grpc.client.GLOBAL.negotiation-type=plaintext",
                            "grpc.resilience.client.defaults.keepalive.timeout=5s",
                            "grpc.resilience.client.channels.active.keepalive.time=10s",
                            "grpc.resilience.client.channels.idle.keepalive.time=10s",
                            "grpc.resilience.client.channels.idle.keepalive.without-calls=true")
                    .run(context -> {
                        GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);

                        CompletableFuture<Status> stream = QuietStream.open(NetDevhTesting.channel(context, "active"));
                        SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "idle"))
                                .withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());

                        Status streamStatus = stream.get(DETECTION_WINDOW.toSeconds(), TimeUnit.SECONDS);
                        assertThat(streamStatus.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(streamStatus.getDescription()).contains("too_many_pings");
                        await().atMost(DETECTION_WINDOW)
                                .until(() -> goAways.count("idle", GoAwayReason.TOO_MANY_PINGS) == 1);
                        assertThat(goAways.count("active", GoAwayReason.TOO_MANY_PINGS)).isEqualTo(1);
                    });
        } finally {
            server.shutdownNow();
        }
        assertThat(output.getAll()).contains("ERROR", "gRPC channel 'active': server sent GOAWAY too_many_pings: "
                + "it permits fewer pings than this channel's HTTP/2 keepalive time 10s sends, and grpc-java now "
                + "doubles that time for the channel's new connections. Raise "
                + "grpc.resilience.client.channels.active.keepalive.time to the server's permit-keepalive time "
                + "(5m for servers with default settings)");
        assertThat(output.getAll()).contains("gRPC channel 'idle': server sent GOAWAY too_many_pings: it permits "
                + "fewer pings than this channel's HTTP/2 keepalive time 10s (without calls) sends")
                .contains("or set keepalive.without-calls to false");
    }

    @Test
    void theStartersServerPermitsAClientPingingAtItsPermitInterval() throws Exception {
        // A net.devh server with the starter's defaults permits one ping per P = 10 s, also without
        // calls; a client at exactly P (the smallest interval a grpc-java client can use) on a quiet
        // stream and on an idle connection gets no GOAWAY over three pings.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.serverOnPortZero())
                .withUserConfiguration(PortZeroGrpcServer.class, QuietGrpcService.class)
                .withPropertyValues("grpc.server.shutdown-grace-period=0s")
                .run(server -> {
                    assertThat(server).hasNotFailed();
                    int port = server.getBean(PortZeroGrpcServer.Factory.class).getPort();
                    pingingClient(port).run(TooManyPingsDetectionTest::noGoAwayOverThreePings);
                });
    }

    private static ApplicationContextRunner pingingClient(int port) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.address=static://127.0.0.1:" + port,
                        "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s",
                        "grpc.resilience.client.defaults.keepalive.time=10s",
                        "grpc.resilience.client.defaults.keepalive.timeout=5s",
                        "grpc.resilience.client.channels.idle.keepalive.without-calls=true");
    }

    private static void noGoAwayOverThreePings(AssertableApplicationContext context) throws Exception {
        assertThat(context).hasNotFailed();
        GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);
        CompletableFuture<Status> stream = QuietStream.open(NetDevhTesting.channel(context, "active"));
        SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "idle"))
                .withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());

        // Three pings at 10 s plus slack: a policing server would have sent GOAWAY by now.
        await().pollDelay(DETECTION_WINDOW.minusSeconds(10)).atMost(DETECTION_WINDOW)
                .until(() -> true);
        assertThat(stream).as("quiet stream still open").isNotDone();
        assertThat(goAways.counts("active").values()).containsOnly(0L);
        assertThat(goAways.counts("idle").values()).containsOnly(0L);
        assertThat(NetDevhTesting.connectivityState(context, "idle")).isEqualTo(io.grpc.ConnectivityState.READY);
    }

    /** The quiet test service as a net.devh service bean. */
    @ServedGrpcService
    static class QuietGrpcService extends TestServers.QuietService {
    }
}
