package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.transport.ChannelzSockets;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Channel;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The properties reach the sockets of channels that net.devh creates: read back from the kernel
 * through channelz after a real call.
 */
@ExtendWith(OutputCaptureExtension.class)
class NetDevhChannelWiringTest {

    private Server server;
    private ApplicationContextRunner runner;
    private String target;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        target = "static://127.0.0.1:" + server.getPort();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.inventory.address=" + target,
                        "grpc.client.inventory.negotiation-type=plaintext");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private Map<String, String> socketOptionsAfterACall(String... properties) {
        Object[] result = new Object[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            Channel channel = context.getBean(GrpcChannelFactory.class).createChannel("inventory");
            SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance());
            List<Map<String, String>> sockets = ChannelzSockets.optionsOf(target);
            assertThat(sockets).hasSize(1);
            result[0] = sockets.get(0);
        });
        @SuppressWarnings("unchecked")
        Map<String, String> options = (Map<String, String>) result[0];
        return options;
    }

    @Test
    void defaultsReachTheSocket() {
        assertThat(socketOptionsAfterACall()).containsEntry("SO_KEEPALIVE", "true")
                .containsEntry("TCP_KEEPIDLE", "20").containsEntry("TCP_KEEPINTVL", "5")
                .containsEntry("TCP_KEEPCNT", "3");
    }

    @Test
    void channelOverrideReachesTheSocket() {
        assertThat(socketOptionsAfterACall("grpc.resilience.client.defaults.tcp-keepalive.count=4",
                "grpc.resilience.client.channels.inventory.tcp-keepalive.idle=11s"))
                .containsEntry("TCP_KEEPIDLE", "11").containsEntry("TCP_KEEPCNT", "4")
                .containsEntry("TCP_KEEPINTVL", "5");
    }

    @Test
    void disabledStarterLeavesTheKernelDefault() {
        // grpc-java sets SO_KEEPALIVE itself; the kernel's idle default is 7200 s
        assertThat(socketOptionsAfterACall("grpc.resilience.enabled=false")).containsEntry("TCP_KEEPIDLE", "7200");
    }

    @Test
    void bothSetExplicitlyOursWinsWithOneWarningNamingBoth(CapturedOutput output) {
        assertThat(socketOptionsAfterACall("grpc.client.inventory.enable-keep-alive=true",
                "grpc.client.inventory.keep-alive-time=7m",
                "grpc.resilience.client.channels.inventory.keepalive.time=30s")).containsEntry("TCP_KEEPIDLE", "20");
        assertThat(output.getAll()).containsOnlyOnce("WARN").contains("gRPC channel 'inventory': "
                + "grpc.resilience.client.channels.inventory.keepalive.time overrides "
                + "grpc.client.inventory.keep-alive-time; remove one of them so the configuration says one thing")
                .contains("HTTP/2 keepalive 30s");
    }

    @Test
    void inProcessChannelsAreSkippedCleanly() {
        runner.withPropertyValues("grpc.client.local.address=in-process:nothing").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(GrpcChannelFactory.class).createChannel("local")).isNotNull();
            assertThat(context.getBean(ResilientChannelConfigurer.class).applied()).doesNotContainKey("local");
        });
    }
}
