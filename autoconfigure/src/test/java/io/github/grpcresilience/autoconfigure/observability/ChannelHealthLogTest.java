package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * One log line per channel health change, noticed without anyone reading health, over real Netty
 * on loopback: a channel to a refused port logs one WARN with the root cause when its grace ends,
 * however often it cycles through CONNECTING and TRANSIENT_FAILURE, and one INFO when it is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelHealthLogTest {

    private static final String C = "grpc.resilience.client.channels.inventory.";

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean call(AssertableApplicationContext context) {
        try {
            SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "inventory"))
                    .withDeadlineAfter(2, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException ex) {
            return false;
        }
    }

    @Test
    void aChannelToARefusedPortLogsOneWarnWhenItTurnsDownAndOneInfoWhenItIsBack(CapturedOutput output)
            throws Exception {
        int port = freePort();
        Server[] server = new Server[1];
        ManualScheduler time = new ManualScheduler(new ManualClock());
        new ApplicationContextRunner()
                .withBean(GrpcResilienceScheduling.CLOCK, Clock.class, time::clock)
                .withBean(GrpcResilienceScheduling.SCHEDULER, ScheduledExecutorService.class, () -> time)
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class,
                        EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.server.port=-1",
                        "grpc.client.inventory.address=static://127.0.0.1:" + port,
                        "grpc.client.inventory.negotiation-type=plaintext",
                        "grpc.client.inventory.shutdown-grace-period=0s",
                        "management.endpoints.web.exposure.include=health,grpc",
                        C + "retry.enabled=false", C + "health.transient-failure-grace=500ms",
                        C + "health.connecting-grace=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(call(context)).isFalse();
                    GrpcChannelRegistry.Entry entry = context.getBean(GrpcChannelRegistry.class).get("inventory")
                            .orElseThrow();
                    // nobody reads health: the grace's end is noticed by the logger's own check, which
                    // runs when the starter's clock passes it (a reconnect may be CONNECTING just then:
                    // its grace is 5 s, so the next round finds it in TRANSIENT_FAILURE again)
                    String downLine = "gRPC channel 'inventory' (static://127.0.0.1:" + port + ") is DOWN";
                    for (int round = 0; round < 4 && !output.getAll().contains(downLine); round++) {
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> entry.monitor().snapshot().state() == ConnectivityState.TRANSIENT_FAILURE);
                        time.advance(Duration.ofMillis(600));
                    }
                    assertThat(output.getAll()).contains(downLine);
                    HealthEndpoint health = context.getBean(HealthEndpoint.class);
                    assertThat(health.healthForPath("grpcChannels", "inventory").getStatus()).isEqualTo(Status.DOWN);
                    Map<String, Object> details = ((Health) health.healthForPath("grpcChannels", "inventory"))
                            .getDetails();
                    assertThat(details.get("lastFailure")).asString()
                            // Netty's epoll transport says "finishConnect(..) failed with error(-111): Connection
                            // refused: /127.0.0.1:<port>", NIO "Connection refused: /127.0.0.1:<port>"
                            .startsWith("UNAVAILABLE: ").contains("Connection refused: /127.0.0.1:" + port)
                            .doesNotContain("io exception");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> endpoint = (Map<String, Object>) ((Map<String, Object>) EndpointJson
                            .all(context.getBean(GrpcEndpoint.class)).get("channels")).get("inventory");
                    assertThat(endpoint.toString()).contains("Connection refused: /127.0.0.1:" + port);

                    // more calls fail while it is DOWN, and time passes: no more lines
                    assertThat(call(context)).isFalse();
                    time.advance(Duration.ofMinutes(1)); // every check scheduled meanwhile runs
                    assertThat(call(context)).isFalse();
                    time.advance(Duration.ofMinutes(1));
                    assertThat(output.getAll()).containsOnlyOnce(") is DOWN");

                    server[0] = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                            .addService(new TestServers.QuietService()).build().start();
                    entry.channel().resetConnectBackoff();
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                            .until(() -> call(context));
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> entry.monitor().snapshot().state() == ConnectivityState.READY);
                    time.advance(Duration.ofSeconds(1)); // the check after the transition to READY
                    assertThat(output.getAll()).contains("gRPC channel 'inventory' is UP again");
                });
        if (server[0] != null) {
            server[0].shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        String log = output.getAll();
        assertThat(log).containsOnlyOnce(") is DOWN").containsOnlyOnce("is UP again");
        String down = log.lines().filter(line -> line.contains(") is DOWN")).findFirst().orElseThrow();
        assertThat(down).contains("WARN").contains("TRANSIENT_FAILURE for longer than " + C
                + "health.transient-failure-grace (500ms)").contains("cause: UNAVAILABLE: ")
                .contains("Connection refused: /127.0.0.1:" + port).contains("it is critical: health, and readiness where probes are on, now report DOWN (HTTP 503)");
        String up = log.lines().filter(line -> line.contains("is UP again")).findFirst().orElseThrow();
        assertThat(up).contains("INFO").contains("health and readiness no longer report DOWN because of it");
    }
}
