package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.ClientOption;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.ServerOption;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.keepalive.ServerKeepAliveSettings;
import io.github.grpcresilience.keepalive.ServerKeepAlivePolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Spring Boot's explicit gRPC properties as the starter reads them, and how they meet the starter's settings. */
class SpringGrpcPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SpringGrpcSettingsAutoConfiguration.class));

    private void with(Consumer<SpringGrpcProperties> assertions, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertions.accept((SpringGrpcProperties) context.getBean(UnderlyingGrpcSettings.class));
        });
    }

    @Test
    void onlyExplicitValuesCount() {
        with(boot -> {
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_TIME, Duration.class)).isEmpty();
            assertThat(boot.client(UnderlyingGrpcSettings.ALL_CHANNELS, ClientOption.LOAD_BALANCING_POLICY,
                    String.class)).isEmpty();
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_ENABLED, Boolean.class)).isEmpty();
            assertThat(boot.server(ServerOption.KEEPALIVE_TIME, Duration.class)).isEmpty();
            assertThat(boot.clientNames()).isEmpty();
        });
    }

    @Test
    void aChannelWithAnEntrySeesOnlyItsEntryOthersTheDefaultEntry() {
        with(boot -> {
            assertThat(boot.clientNames()).containsExactly("inventory");
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_TIME, Duration.class))
                    .isEmpty(); // Boot does not merge 'default' into a channel's own entry
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_WITHOUT_CALLS, Boolean.class))
                    .contains(new UnderlyingGrpcSettings.Explicit<>(
                            "spring.grpc.client.channel.inventory.keepalive.without-calls", true));
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_ENABLED, Boolean.class))
                    .as("any explicit keepalive option switches Boot's keepalive on explicitly").contains(
                            new UnderlyingGrpcSettings.Explicit<>(
                                    "spring.grpc.client.channel.inventory.keepalive.without-calls", true));
            assertThat(boot.client("other", ClientOption.KEEPALIVE_TIME, Duration.class)).contains(
                    new UnderlyingGrpcSettings.Explicit<>("spring.grpc.client.channel.default.keepalive.time",
                            Duration.ofMinutes(3)));
            assertThat(boot.client(UnderlyingGrpcSettings.ALL_CHANNELS, ClientOption.KEEPALIVE_TIME, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofMinutes(3));
        }, "spring.grpc.client.channel.default.keepalive.time=3m",
                "spring.grpc.client.channel.inventory.keepalive.without-calls=true");
    }

    @Test
    void aBareDurationIsSecondsAsBootBindsIt() {
        with(boot -> {
            assertThat(boot.client("inventory", ClientOption.KEEPALIVE_TIMEOUT, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofSeconds(7));
            assertThat(boot.server(ServerOption.PERMIT_KEEPALIVE_TIME, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofSeconds(30));
        }, "spring.grpc.client.channel.inventory.keepalive.timeout=7",
                "spring.grpc.server.keepalive.permit.time=30");
    }

    @Test
    void serverOptions() {
        with(boot -> {
            assertThat(boot.server(ServerOption.KEEPALIVE_TIME, Duration.class)).contains(
                    new UnderlyingGrpcSettings.Explicit<>("spring.grpc.server.keepalive.time", Duration.ofMinutes(1)));
            assertThat(boot.server(ServerOption.PERMIT_KEEPALIVE_WITHOUT_CALLS, Boolean.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(true);
            assertThat(boot.server(ServerOption.MAX_CONNECTION_IDLE, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofMinutes(10));
            assertThat(boot.server(ServerOption.MAX_CONNECTION_AGE, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofMinutes(30));
            assertThat(boot.server(ServerOption.MAX_CONNECTION_AGE_GRACE, Duration.class))
                    .map(UnderlyingGrpcSettings.Explicit::value).contains(Duration.ofSeconds(5));
            // Boot's server keepalive is always on: an explicit time makes it count as explicitly on
            assertThat(boot.server(ServerOption.KEEPALIVE_ENABLED, Boolean.class)).contains(
                    new UnderlyingGrpcSettings.Explicit<>("spring.grpc.server.keepalive.time", true));
        }, "spring.grpc.server.keepalive.time=1m", "spring.grpc.server.keepalive.permit.without-calls=true",
                "spring.grpc.server.keepalive.connection.max-idle-time=10m",
                "spring.grpc.server.keepalive.connection.max-age=30m",
                "spring.grpc.server.keepalive.connection.grace-period=5s");
    }

    @Test
    void targets() {
        with(boot -> {
            assertThat(boot.target("inventory")).contains("static://10.0.0.1:443");
            assertThat(boot.target("billing")).as("an entry without a target: Boot's default")
                    .contains("static://localhost:9090");
            assertThat(boot.target("dns:///orders:443")).as("a name that is an address").contains("dns:///orders:443");
            assertThat(boot.target("unknown")).isEqualTo(Optional.empty());
            assertThat(boot.targetProperty("inventory")).isEqualTo("spring.grpc.client.channel.inventory.target");
        }, "spring.grpc.client.channel.inventory.target=static://10.0.0.1:443",
                "spring.grpc.client.channel.billing.user-agent=me");
    }

    @Test
    void ownServerIsALoopbackTargetOnTheServerPort() {
        assertThat(SpringGrpcProperties.targetsOwnServer("static://localhost:9191", 9191)).isTrue();
        assertThat(SpringGrpcProperties.targetsOwnServer("127.0.0.1:9191", 9191)).isTrue();
        assertThat(SpringGrpcProperties.targetsOwnServer("dns:///localhost:9191", 9191)).isTrue();
        assertThat(SpringGrpcProperties.targetsOwnServer("static://localhost:9090", 9191)).isFalse();
        assertThat(SpringGrpcProperties.targetsOwnServer("static://orders:9191", 9191)).isFalse();
        with(boot -> {
            assertThat(boot.targetsOwnServer("self")).isTrue();
            assertThat(boot.targetsOwnServer("remote")).isFalse();
        }, "spring.grpc.server.port=9191", "spring.grpc.client.channel.self.target=static://localhost:9191",
                "spring.grpc.client.channel.remote.target=static://10.0.0.1:9191");
    }

    /** The starter's resolver honours Boot's explicit keepalive over its own default. */
    @Test
    void explicitBootKeepAliveWinsOverTheStarterDefault() {
        runner.withConfiguration(AutoConfigurations.of(
                io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration.class))
                .withPropertyValues("spring.grpc.client.channel.inventory.keepalive.time=7m").run(context -> {
                    ChannelSettingsResolver settings = context.getBean(ChannelSettingsResolver.class);
                    assertThat(settings.channel("inventory").keepAlive().time()).contains(Duration.ofMinutes(7));
                    assertThat(settings.channel("other").keepAlive().time()).contains(Duration.ofMinutes(5));
                });
    }

    /**
     * Boot gives every server connection a 30 s grace after max-age unless told otherwise; the
     * starter's promise is that running calls are never cut, so it says "unlimited" unless the
     * user set Boot's grace.
     */
    @Test
    void runningCallsOutliveMaxAgeUnlessBootsGraceIsSetExplicitly() {
        runner.run(context -> assertThat(context.getBean(ServerKeepAliveSettings.class).policy().maxAgeGrace())
                .isEqualTo(ServerKeepAlivePolicy.UNLIMITED_GRACE));
        runner.withPropertyValues("spring.grpc.server.keepalive.connection.grace-period=45s")
                .run(context -> assertThat(context.getBean(ServerKeepAliveSettings.class).policy().maxAgeGrace())
                        .isNull());
    }
}
