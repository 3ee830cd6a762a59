package io.github.grpcresilience.autoconfigure.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesBeanDescriptor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

/** One merge per channel, the values in force shown where operators look, validation on first use. */
class ChannelSettingsResolverTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1",
                    "grpc.resilience.client.defaults.tcp-keepalive.idle=25s",
                    "grpc.resilience.client.defaults.pool.max-size=4",
                    "grpc.resilience.client.channels.inventory.keepalive.time=6m");

    @Test
    @SuppressWarnings("unchecked")
    void configpropsShowsEachChannelWithTheDefaultsItInherits() {
        runner.run(context -> {
            ConfigurationPropertiesReportEndpoint endpoint = new ConfigurationPropertiesReportEndpoint(List.of(),
                    Show.ALWAYS);
            endpoint.setApplicationContext(context);
            ConfigurationPropertiesBeanDescriptor bean = endpoint.configurationProperties().getContexts().values().iterator().next().getBeans().values().stream()
                    .filter(descriptor -> descriptor.getPrefix().equals("grpc.resilience")).findFirst().orElseThrow();
            Map<String, Object> client = (Map<String, Object>) bean.getProperties().get("client");
            Map<String, Object> inventory = (Map<String, Object>) ((Map<String, Object>) client.get("channels"))
                    .get("inventory");
            assertThat((Map<String, Object>) inventory.get("tcpKeepalive")).as("inherited from the defaults")
                    .containsEntry("idle", "PT25S");
            assertThat((Map<String, Object>) inventory.get("pool")).containsEntry("maxSize", 4);
            assertThat((Map<String, Object>) inventory.get("keepalive")).as("the channel's own")
                    .containsEntry("time", "PT6M");
        });
    }

    @Test
    void everyCapabilityReadsTheSameMergedChannel() {
        runner.run(context -> {
            ChannelSettingsResolver resolver = context.getBean(ChannelSettingsResolver.class);
            ChannelSettings inventory = resolver.channel("inventory");
            assertThat(resolver.channel("inventory")).as("resolved once").isSameAs(inventory);
            assertThat(inventory.keepAlive().policy().tcp().idle()).isEqualTo(Duration.ofSeconds(25));
            assertThat(inventory.keepAlive().time()).contains(Duration.ofMinutes(6));
            assertThat(inventory.pool()).hasValueSatisfying(pool -> assertThat(pool.maxSize()).isEqualTo(4));
            assertThat(resolver.channel("billing").keepAlive().time()).as("a channel named later: the defaults")
                    .contains(Duration.ofMinutes(5));
        });
    }

    @Test
    void aChannelOfTheUnderlyingStarterIsValidatedAtStartup() {
        runner.withPropertyValues("grpc.client.inventory.address=static://10.0.0.1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                    .hasMessageContaining("grpc.client.inventory.address");
        });
    }

    @Test
    void aChannelNamedOnlyLaterIsValidatedWhenFirstResolved() {
        ChannelSettingsResolver resolver = new ChannelSettingsResolver(new GrpcResilienceProperties(),
                new ConfiguredProperties(new MockEnvironment()
                        .withProperty("grpc.resilience.client.channels.late.keepalive.time", "1s")),
                UnderlyingGrpcSettings.NONE);
        resolver.resolveConfigured(); // "late" is not under client.channels of the bound (empty) properties
        assertThatThrownBy(() -> resolver.channel("late")).isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                .hasMessageContaining("grpc.resilience.client.channels.late.keepalive.time");
    }
}
