package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Channel settings whose name matches no net.devh client are reported once at startup (WARN). */
@ExtendWith(OutputCaptureExtension.class)
class ChannelNamesCheckTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class,
                    GrpcResilienceServiceConfigAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1", "grpc.client.inventory.address=dns:///inventory:9090",
                    "grpc.client.orders.address=dns:///orders:9090");

    @Test
    void misspeltChannelNameIsReportedWithTheKnownNames(CapturedOutput output) {
        runner.withPropertyValues("grpc.resilience.client.channels.inventroy.keepalive.time=30s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("grpc.resilience.client.channels.inventroy matches no gRPC client: no "
                    + "grpc.client.inventroy.* property is set and no channel of that name was created at startup, "
                    + "so these settings apply only if code creates a channel named inventroy later. Known clients: "
                    + "[inventory, orders]. Did you mean grpc.resilience.client.channels.inventory?");
        });
    }

    @Test
    void nameFarFromEveryClientGetsNoSuggestion(CapturedOutput output) {
        runner.withPropertyValues("grpc.resilience.client.channels.billing.keepalive.time=30s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("so these settings apply only if code creates a channel named billing "
                    + "later. Known clients: [inventory, orders].")
                    .doesNotContain("Did you mean");
        });
    }

    @Test
    void channelOfAConfiguredClientIsNotReported(CapturedOutput output) {
        runner.withPropertyValues("grpc.resilience.client.channels.inventory.keepalive.time=30s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("matches no gRPC client");
        });
    }
}
