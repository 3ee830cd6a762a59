package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.keepalive.ClientKeepAlivePolicy;
import io.github.grpcresilience.keepalive.ServerKeepAlivePolicy;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Keepalive settings: binding, the defaults-to-channel merge (every field), and the net.devh precedence rules. */
class KeepAliveSettingsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class));

    /** The channel settings and the server's, as the application context resolved them. */
    private record Settings(ChannelSettingsResolver channels, ServerKeepAliveSettings server) {
        ChannelSettings client(String name) {
            return channels.channel(name);
        }
    }

    private void withSettings(Consumer<Settings> assertions, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertions.accept(new Settings(context.getBean(ChannelSettingsResolver.class),
                    context.getBean(ServerKeepAliveSettings.class)));
        });
    }

    @Test
    void productionDefaults() {
        withSettings(settings -> {
            ClientKeepAlivePolicy policy = settings.client("any").keepAlive().policy();
            assertThat(policy.tcp()).isEqualTo(TcpKeepAlive.DEFAULT);
            assertThat(policy.time()).isEqualTo(Duration.ofMinutes(5));
            assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(policy.withoutCalls()).isFalse();
            assertThat(policy.idleTimeout()).isNull();
            assertThat(settings.server().policy()).isEqualTo(new ServerKeepAlivePolicy(Duration.ofSeconds(60),
                    Duration.ofSeconds(20), Duration.ofSeconds(10), true, null, Duration.ofMinutes(30),
                    ServerKeepAlivePolicy.UNLIMITED_GRACE));
        });
    }

    /** A channel inherits each field from the defaults and overrides only what it sets. */
    private void assertMerge(String field, String defaultsValue, String channelValue,
            java.util.function.Function<ChannelSettings, Object> read, Object expectedDefault,
            Object expectedChannel) {
        withSettings(settings -> {
            assertThat(read.apply(settings.client("other"))).as("inherited " + field).isEqualTo(expectedDefault);
            assertThat(read.apply(settings.client("inventory"))).as("overridden " + field)
                    .isEqualTo(expectedChannel);
        }, "grpc.resilience.client.defaults." + field + "=" + defaultsValue,
                "grpc.resilience.client.channels.inventory." + field + "=" + channelValue,
                // a neighbouring field set on the channel must not hide the inherited one
                "grpc.resilience.client.channels.other.network.idle-timeout=1h");
    }

    @Test
    void mergesTcpKeepAliveFieldByField() {
        assertMerge("tcp-keepalive.idle", "30s", "40s", c -> c.keepAlive().policy().tcp().idle(), Duration.ofSeconds(30),
                Duration.ofSeconds(40));
        assertMerge("tcp-keepalive.interval", "6s", "7s", c -> c.keepAlive().policy().tcp().interval(), Duration.ofSeconds(6),
                Duration.ofSeconds(7));
        assertMerge("tcp-keepalive.count", "4", "5", c -> c.keepAlive().policy().tcp().count(), 4, 5);
        assertMerge("tcp-keepalive.user-timeout", "50s", "60s", c -> c.keepAlive().policy().tcp().userTimeout(),
                Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertMerge("tcp-keepalive.enabled", "true", "false", c -> c.keepAlive().policy().tcp().enabled(), true, false);
    }

    @Test
    void mergesHttp2KeepAliveFieldByField() {
        assertMerge("keepalive.time", "6m", "30s", c -> c.keepAlive().policy().time(), Duration.ofMinutes(6),
                Duration.ofSeconds(30));
        assertMerge("keepalive.timeout", "15s", "10s", c -> c.keepAlive().policy().timeout(), Duration.ofSeconds(15),
                Duration.ofSeconds(10));
        assertMerge("keepalive.without-calls", "true", "false", c -> c.keepAlive().policy().withoutCalls(), true, false);
        assertMerge("keepalive.enabled", "true", "false", c -> c.keepAlive().time().isPresent(), true, false);
    }

    @Test
    void mergesChannelFields() {
        assertMerge("idle-timeout", "10m", "1m", c -> c.keepAlive().policy().idleTimeout(), Duration.ofMinutes(10),
                Duration.ofMinutes(1));
        withSettings(settings -> {
            assertThat(settings.client("inventory").properties().getNetwork().getIdleTimeout()).isEqualTo("aws-nlb");
            assertThat(settings.client("billing").properties().getNetwork().getIdleTimeout()).isEqualTo("gcp-lb");
        }, "grpc.resilience.client.defaults.network.idle-timeout=gcp-lb",
                "grpc.resilience.client.channels.inventory.network.idle-timeout=aws-nlb");
    }

    @Test
    void mergesHealthFieldByField() {
        assertMerge("health.connecting-grace", "40s", "50s", c -> c.properties().getHealth().getConnectingGrace(),
                Duration.ofSeconds(40), Duration.ofSeconds(50));
        assertMerge("health.transient-failure-grace", "20s", "25s",
                c -> c.properties().getHealth().getTransientFailureGrace(), Duration.ofSeconds(20),
                Duration.ofSeconds(25));
        assertMerge("health.critical", "true", "false", c -> c.properties().getHealth().isCritical(), true, false);
    }

    @Test
    void disabledHttp2KeepAliveIsSwitchedOffInGrpc() {
        withSettings(settings -> {
            assertThat(settings.client("x").keepAlive().policy().time()).as("grpc-java switches keepalive off for this time").isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
            assertThat(settings.client("x").keepAlive().time()).isEmpty();
        }, "grpc.resilience.client.defaults.keepalive.enabled=false");
    }

    @Test
    void explicitNetDevhClientKeepAliveWinsOverOurDefault() {
        withSettings(settings -> {
            ChannelSettings.KeepAlive client = settings.client("inventory").keepAlive();
            assertThat(client.policy().time()).isNull();
            assertThat(client.policy().timeout()).isNotNull();
            assertThat(client.time()).contains(Duration.ofMinutes(7));
            assertThat(client.overlaps()).isEmpty();
        }, "grpc.client.inventory.enable-keep-alive=true", "grpc.client.inventory.keep-alive-time=7m");
    }

    @Test
    void netDevhGlobalClientKeepAliveCountsForEveryChannel() {
        withSettings(settings -> assertThat(settings.client("inventory").keepAlive().policy().withoutCalls()).isNull(),
                "grpc.client.GLOBAL.enable-keep-alive=true", "grpc.client.GLOBAL.keep-alive-without-calls=true");
    }

    @Test
    void netDevhSwitchingKeepAliveOffExplicitlyIsRespected() {
        withSettings(settings -> {
            assertThat(settings.client("inventory").keepAlive().policy().time()).isNull();
            assertThat(settings.client("inventory").keepAlive().time()).isEmpty();
        }, "grpc.client.inventory.enable-keep-alive=false");
    }

    @Test
    void whenBothAreExplicitOursWinsAndTheOverlapNamesBoth() {
        withSettings(settings -> {
            ChannelSettings.KeepAlive client = settings.client("inventory").keepAlive();
            assertThat(client.policy().time()).isEqualTo(Duration.ofSeconds(30));
            assertThat(client.overlaps()).containsExactly(
                    "grpc.resilience.client.channels.inventory.keepalive.time overrides "
                            + "grpc.client.inventory.keep-alive-time; remove one of them so the configuration says one thing");
        }, "grpc.client.inventory.enable-keep-alive=true", "grpc.client.inventory.keep-alive-time=7m",
                "grpc.resilience.client.channels.inventory.keepalive.time=30s");
    }

    @Test
    void explicitNetDevhServerPermitWinsOverOurDefault() {
        withSettings(settings -> {
            assertThat(settings.server().policy().permitTime()).isNull();
            assertThat(settings.server().permitTime()).isEqualTo(Duration.ofMinutes(1));
            assertThat(settings.server().policy().maxAge()).isNull();
            assertThat(settings.server().overlaps()).isEmpty();
        }, "grpc.server.permit-keep-alive-time=1m", "grpc.server.max-connection-age=1h");
    }

    @Test
    void runningCallsAreNeverCutAfterMaxAgeUnlessAGraceIsSet() {
        withSettings(settings -> assertThat(settings.server().policy().maxAgeGrace())
                .isEqualTo(ServerKeepAlivePolicy.UNLIMITED_GRACE));
        withSettings(settings -> assertThat(settings.server().policy().maxAgeGrace()).isNull(),
                "grpc.server.max-connection-age-grace=30s");
    }

    @Test
    void explicitServerSettingsOnBothSidesWarn() {
        withSettings(settings -> {
            assertThat(settings.server().policy().permitWithoutCalls()).isFalse();
            assertThat(settings.server().overlaps()).containsExactly(
                    "grpc.resilience.server.permit-keepalive.without-calls overrides "
                            + "grpc.server.permit-keep-alive-without-calls; remove one of them so the configuration says one thing");
        }, "grpc.server.permit-keep-alive-without-calls=true",
                "grpc.resilience.server.permit-keepalive.without-calls=false");
    }

    @Test
    void serverFieldsBind() {
        withSettings(settings -> assertThat(settings.server().policy()).isEqualTo(new ServerKeepAlivePolicy(
                Duration.ofSeconds(61), Duration.ofSeconds(21), Duration.ofSeconds(11), false,
                Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(4))),
                "grpc.resilience.server.keepalive.time=61s", "grpc.resilience.server.keepalive.timeout=21s",
                "grpc.resilience.server.permit-keepalive.time=11s",
                "grpc.resilience.server.permit-keepalive.without-calls=false",
                "grpc.resilience.server.connection.max-idle=2m", "grpc.resilience.server.connection.max-age=3m",
                "grpc.resilience.server.connection.max-age-grace=4m");
    }

    @Test
    void theWholeStarterCanBeSwitchedOff() {
        runner.withPropertyValues("grpc.resilience.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ChannelSettingsResolver.class)
                        .doesNotHaveBean(ResilientChannelConfigurer.class)
                        .doesNotHaveBean(ResilientServerConfigurer.class));
    }
}
