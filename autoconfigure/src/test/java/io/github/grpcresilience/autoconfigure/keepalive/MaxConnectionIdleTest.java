package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.autoconfigure.netdevh.PortZeroGrpcServer;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Channel;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code grpc.resilience.server.connection.max-idle} on a net.devh server, over the wire: a
 * connection without calls for longer gets GOAWAY NO_ERROR {@code max_idle}, which the client
 * counts as {@code max_idle} (not as a shutdown's plain NO_ERROR), and the next call opens a new
 * connection and succeeds.
 */
class MaxConnectionIdleTest {

    @Test
    void anIdleConnectionGetsGoAwayMaxIdleAndTheNextCallSucceeds() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.serverOnPortZero())
                .withUserConfiguration(PortZeroGrpcServer.class, QuietGrpcService.class)
                .withPropertyValues("grpc.resilience.server.connection.max-idle=1s",
                        "grpc.server.shutdown-grace-period=0s")
                .run(server -> {
                    assertThat(server).hasNotFailed();
                    int port = server.getBean(PortZeroGrpcServer.Factory.class).getPort();
                    new ApplicationContextRunner()
                            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                            .withConfiguration(NetDevhTesting.client())
                            .withPropertyValues("grpc.client.idle.address=static://127.0.0.1:" + port,
                                    "grpc.client.idle.negotiation-type=plaintext",
                                    "grpc.client.idle.shutdown-grace-period=0s")
                            .run(client -> {
                                assertThat(client).hasNotFailed();
                                Channel channel = NetDevhTesting.channel(client, "idle");
                                GoAwayRegistry goAways = client.getBean(GoAwayRegistry.class);
                                call(channel);

                                await().atMost(Duration.ofSeconds(10))
                                        .until(() -> goAways.count("idle", GoAwayReason.MAX_IDLE) >= 1);
                                assertThat(goAways.count("idle", GoAwayReason.NO_ERROR)).isZero();
                                assertThat(goAways.count("idle", GoAwayReason.OTHER)).isZero();
                                call(channel);
                            });
                });
    }

    private static void call(Channel channel) {
        assertThat(SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hello").build()).getResponseMessage())
                .isEqualTo("hello");
    }

    /** The quiet test service as a net.devh service bean. */
    @ServedGrpcService
    static class QuietGrpcService extends TestServers.QuietService {
    }
}
