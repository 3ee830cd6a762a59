package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The channel health log line on a clock and scheduler the test moves by hand, over a real Netty
 * channel to a refused port: nothing inside the grace, one WARN the moment the grace ends, nothing
 * more while it stays down, one INFO when it is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelHealthLoggerTest {

    private static final String DOWN = "gRPC channel 'inventory' (test) is DOWN";

    private static boolean call(ManagedChannel channel, GrpcChannelRegistry.Entry entry) {
        try {
            SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException ex) {
            entry.monitor().recordFailure(ex.getStatus());
            return false;
        }
    }

    @Test
    void logsOnceWhenTheGraceEndsAndOnceWhenTheChannelIsBack(CapturedOutput output) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class))
                .withPropertyValues("grpc.server.port=-1",
                        "grpc.resilience.client.channels.inventory.health.transient-failure-grace=15s",
                        "grpc.resilience.client.channels.inventory.health.connecting-grace=15s")
                .run(context -> {
                    ManualClock clock = new ManualClock();
                    ManualScheduler scheduler = new ManualScheduler(clock);
                    GrpcChannelRegistry registry = new GrpcChannelRegistry(clock);
                    ChannelHealthLogger logger = new ChannelHealthLogger(context.getBean(ChannelSettingsResolver.class),
                            scheduler, clock);
                    logger.follow(registry);
                    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                    Server server = null;
                    try {
                        GrpcChannelRegistry.Entry entry = registry.register("inventory", "test", channel, Map.of());
                        assertThat(call(channel, entry)).isFalse();
                        await().atMost(Duration.ofSeconds(5))
                                .until(() -> entry.monitor().snapshot().state() == ConnectivityState.TRANSIENT_FAILURE);

                        clock.advance(Duration.ofSeconds(1));
                        scheduler.runDue();
                        clock.advance(Duration.ofMillis(13_990));
                        scheduler.runDue();
                        assertThat(output.getAll()).doesNotContain(DOWN);

                        clock.advance(Duration.ofMillis(20));
                        scheduler.runDue();
                        assertThat(output.getAll()).containsOnlyOnce(DOWN).contains("Connection refused: /127.0.0.1:"
                                + port);

                        clock.advance(Duration.ofMinutes(5));
                        assertThat(call(channel, entry)).isFalse();
                        scheduler.runDue();
                        assertThat(output.getAll()).containsOnlyOnce(DOWN).doesNotContain("UP again");

                        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                                .addService(new TestServers.QuietService()).build().start();
                        channel.resetConnectBackoff();
                        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                                .until(() -> call(channel, entry));
                        clock.advance(Duration.ofSeconds(1));
                        scheduler.runDue();
                        assertThat(output.getAll()).containsOnlyOnce(DOWN)
                                .containsOnlyOnce("gRPC channel 'inventory' is UP again (READY) after 301s DOWN");
                    } finally {
                        channel.shutdownNow();
                        if (server != null) {
                            server.shutdownNow();
                        }
                    }
                });
    }
}
