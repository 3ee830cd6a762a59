package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.pool.PoolSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Defaults, merging and startup checks of {@code pool.*}. */
class PoolPropertiesTest {

    private static final String DEFAULTS = "grpc.resilience.client.defaults.pool.";
    private static final String INVENTORY = "grpc.resilience.client.channels.inventory.pool.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    GrpcResiliencePoolAutoConfiguration.class))
            .withConfiguration(NetDevhTesting.client());

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context.getBean(ChannelSettingsResolver.class).channel("inventory").pool()).isEmpty());
    }

    @Test
    void aChannelsKeysGoOnTopOfTheDefaults() {
        runner.withPropertyValues(DEFAULTS + "max-concurrent-calls-per-connection=50", INVENTORY + "max-size=8",
                INVENTORY + "refresh-interval=30m").run(context -> {
                    ChannelSettingsResolver settings = context.getBean(ChannelSettingsResolver.class);
                    assertThat(settings.channel("inventory").pool()).as("shrinks below a quarter of 50 unless told")
                            .contains(new PoolSettings(1, 8, 50, 12,
                            Duration.ofSeconds(10), 2, Duration.ofMinutes(30)));
                    assertThat(settings.channel("billing").pool()).isEmpty();
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            channels.inventory.pool.min-size=0 | channels.inventory.pool.min-size | it must be at least 1 | Set grpc.resilience.client.channels.inventory.pool.min-size to 1.
            defaults.pool.max-size=0 | defaults.pool.max-size | it must be at least 1 | Set grpc.resilience.client.defaults.pool.max-size to 1 (no pool) or the most connections the target needs.
            channels.inventory.pool.min-size=4 | defaults.pool.max-size | it is below min-size 4 | Set grpc.resilience.client.defaults.pool.max-size to 4 or more, or lower grpc.resilience.client.channels.inventory.pool.min-size.
            channels.inventory.pool.max-concurrent-calls-per-connection=0 | channels.inventory.pool.max-concurrent-calls-per-connection | it must be at least 1 | Set grpc.resilience.client.channels.inventory.pool.max-concurrent-calls-per-connection to a value below the server's MAX_CONCURRENT_STREAMS, e.g. 80 for 100.
            channels.inventory.pool.min-calls-per-connection=80 | channels.inventory.pool.min-calls-per-connection | it must be below max-concurrent-calls-per-connection 80, or the pool would grow and shrink at once | Set grpc.resilience.client.channels.inventory.pool.min-calls-per-connection to about a quarter of max-concurrent-calls-per-connection (e.g. 20), 0 never to shrink, or remove it.
            channels.inventory.pool.min-calls-per-connection=-1 | channels.inventory.pool.min-calls-per-connection | it must be at least 0 | Set grpc.resilience.client.channels.inventory.pool.min-calls-per-connection to 0 (never shrink) or about a quarter of max-concurrent-calls-per-connection.
            defaults.pool.resize-interval=0s | defaults.pool.resize-interval | it must be a positive duration | Set grpc.resilience.client.defaults.pool.resize-interval to a positive duration such as 10s, or remove it to use the default.
            channels.inventory.pool.max-resize-step=0 | channels.inventory.pool.max-resize-step | it must be at least 1 | Set grpc.resilience.client.channels.inventory.pool.max-resize-step to 2.
            channels.inventory.pool.refresh-interval=-1m | channels.inventory.pool.refresh-interval | it must be a positive duration | Set grpc.resilience.client.channels.inventory.pool.refresh-interval to a positive duration such as 30m, or remove it to use the default.
            channels.inventory.pool.refresh-interval=5s | channels.inventory.pool.refresh-interval | members are replaced at resizes, so it cannot be shorter than resize-interval 10s | Set grpc.resilience.client.channels.inventory.pool.refresh-interval to resize-interval or more (e.g. 30m), or remove it.
            """)
    void rejects(String setting, String property, String problem, String action) {
        runner.withPropertyValues("grpc.resilience.client." + setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidGrpcResiliencePropertyException.class, e -> {
                        assertThat(e.getProperty()).isEqualTo("grpc.resilience.client." + property);
                        assertThat(e.getProblem()).isEqualTo(problem);
                        assertThat(e.getAction()).isEqualTo(action);
                    });
        });
    }

    @Test
    void offWhenTheStarterIsDisabled() {
        runner.withPropertyValues("grpc.resilience.enabled=false", INVENTORY + "max-size=4")
                .run(context -> assertThat(context).doesNotHaveBean(ChannelPools.class));
    }
}
