package io.github.grpcresilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.StreamSettingsResolver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Properties under grpc.resilience that bind to nothing fail the startup, with the closest valid name. */
class PropertyNamesCheckTest {

    private static final String INVENTORY = "grpc.resilience.client.channels.inventory";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class,
                    GrpcResilienceServiceConfigAutoConfiguration.class, GrpcResilienceStreamsAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1");

    private FailureAnalysis failure(ApplicationContextRunner runner, String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = new InvalidGrpcResiliencePropertyFailureAnalyzer(null).analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysed").isNotNull();
        return analysis[0];
    }

    private FailureAnalysis failure(String... properties) {
        return failure(runner, properties);
    }

    static void assertNames(FailureAnalysis analysis, String property, String value, String reason, String action) {
        assertThat(analysis.getDescription()).isEqualTo(String.format("Invalid gRPC resilience configuration:%n%n"
                + "    Property: %s%n    Value: %s%n    Reason: %s", property, value, reason));
        assertThat(analysis.getAction()).isEqualTo(action);
    }

    @Test
    void misspeltChannelPropertyNamesTheClosestOne() {
        assertNames(failure(INVENTORY + ".keepalive.tme=30s"), INVENTORY + ".keepalive.tme", "30s",
                "unknown property", "Did you mean " + INVENTORY + ".keepalive.time?");
    }

    @Test
    void singularChannelGroupNamesTheClosestOne() {
        assertNames(failure("grpc.resilience.client.channel.inventory.keepalive.time=30s"),
                "grpc.resilience.client.channel.inventory.keepalive.time", "30s", "unknown property",
                "Did you mean " + INVENTORY + ".keepalive.time?");
    }

    @Test
    void misspeltGroupOfAChannelIsNotTakenForADottedName() {
        assertNames(failure(INVENTORY + ".kepalive.timeout=20s"), INVENTORY + ".kepalive.timeout", "20s",
                "unknown property", "Did you mean " + INVENTORY + ".keepalive.timeout?");
    }

    @Test
    void misspeltTopLevelProperty() {
        assertNames(failure("grpc.resilience.enabeld=true"), "grpc.resilience.enabeld", "true",
                "unknown property", "Did you mean grpc.resilience.enabled?");
    }

    @Test
    void misspeltDefaultsAndServerProperties() {
        assertNames(failure("grpc.resilience.client.defaults.tcp-keepalive.idel=20s"),
                "grpc.resilience.client.defaults.tcp-keepalive.idel", "20s", "unknown property",
                "Did you mean grpc.resilience.client.defaults.tcp-keepalive.idle?");
        assertNames(failure("grpc.resilience.server.permit-keepalive.without-call=true"),
                "grpc.resilience.server.permit-keepalive.without-call", "true", "unknown property",
                "Did you mean grpc.resilience.server.permit-keepalive.without-calls?");
    }

    @Test
    void misspeltPropertyOfAMethodEntry() {
        assertNames(failure(INVENTORY + ".methods[pkg.Service/Method].retry.max-attemps=3"),
                INVENTORY + ".methods[pkg.Service/Method].retry.max-attemps", "3", "unknown property",
                "Did you mean " + INVENTORY + ".methods[pkg.Service/Method].retry.max-attempts?");
    }

    @Test
    void misspeltPropertyOfAStreamInstance() {
        assertNames(failure("grpc.resilience.streams.instances.ticks.reconect.initial-backoff=2s"),
                "grpc.resilience.streams.instances.ticks.reconect.initial-backoff", "2s", "unknown property",
                "Did you mean grpc.resilience.streams.instances.ticks.reconnect.initial-backoff?");
    }

    @Test
    void misspeltPropertyOfAMappedHealthService() {
        assertNames(failure("grpc.resilience.server.health.services.orders.inclde=readiness"),
                "grpc.resilience.server.health.services.orders.inclde", "readiness", "unknown property",
                "Did you mean grpc.resilience.server.health.services.orders.include?");
    }

    @Test
    void nameFarFromEveryPropertyListsTheValidOnes() {
        assertNames(failure(INVENTORY + ".keepalive.frequency=30s"), INVENTORY + ".keepalive.frequency", "30s",
                "unknown property", "Remove it, or use one of the properties under " + INVENTORY
                        + ".keepalive: enabled, time, timeout, without-calls.");
    }

    @Test
    void propertyBelowAValue() {
        assertNames(failure(INVENTORY + ".keepalive.time.seconds=30"), INVENTORY + ".keepalive.time.seconds", "30",
                "unknown property", "Remove it: " + INVENTORY + ".keepalive.time is a value, not a group of properties.");
    }

    @Test
    void healthServiceNameWithDotsOutsideBrackets() {
        assertNames(failure("grpc.resilience.server.health.services.pkg.Orders.include=readiness"),
                "grpc.resilience.server.health.services.pkg.Orders.include", "readiness",
                "a name with dots must be in brackets: Spring splits pkg.Orders at its dots, so the entry is ignored",
                "Write the name in quotes and brackets: \"[pkg.Orders]\" under services in YAML, "
                        + "grpc.resilience.server.health.services[pkg.Orders].include in a properties file.");
    }

    @Test
    void misspeltEnvironmentVariable() {
        assertNames(failure(runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                        Map.of("GRPC_RESILIENCE_CLIENT_CHANNELS_INVENTORY_KEEPALIVE_TME", "30s"))))),
                INVENTORY + ".keepalive.tme", "30s", "unknown property",
                "Did you mean " + INVENTORY + ".keepalive.time?");
    }

    @Test
    void everyValidFormStarts() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                        Map.of("GRPC_RESILIENCE_CLIENT_CHANNELS_ORDERS_KEEPALIVE_TIME", "40s"))))
                .withPropertyValues("grpc.resilience.enabled=true",
                        INVENTORY + ".keepAlive.withoutCalls=false", INVENTORY + ".keepalive.time=30s",
                        INVENTORY + ".tcp_keepalive.idle=25s",
                        INVENTORY + ".retry.retryable-status-codes[0]=UNAVAILABLE",
                        INVENTORY + ".retry.retryable-status-codes[1]=DEADLINE_EXCEEDED",
                        INVENTORY + ".methods[pkg.Service/*].hedging.non-fatal-status-codes=UNAVAILABLE",
                        INVENTORY + ".methods[pkg.Service/*].retry.enabled=false",
                        INVENTORY + ".methods[pkg.Service/*].hedging.enabled=true",
                        INVENTORY + ".methods[pkg.Service/*].hedging.delay=50ms",
                        "grpc.resilience.client.defaults.pool.min-calls-per-connection=10",
                        "grpc.resilience.client.defaults.network.idle-timeout=aws-nlb",
                        "grpc.resilience.server.health.services[pkg.Orders].include[0]=readiness",
                        "grpc.resilience.server.connection.max-age-grace=10s",
                        "grpc.resilience.streams.defaults.reconnect.retryable-status-codes=UNAVAILABLE",
                        "grpc.resilience.streams.defaults.outbound-buffer.overflow=fail",
                        "grpc.resilience.streams.instances.ticks.health.unhealthy-grace=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ChannelSettingsResolver settings = context.getBean(ChannelSettingsResolver.class);
                    assertThat(settings.channel("inventory").properties().getTcpKeepalive().getIdle())
                            .isEqualTo(Duration.ofSeconds(25));
                    assertThat(settings.channel("orders").properties().getKeepalive().getTime())
                            .isEqualTo(Duration.ofSeconds(40));
                    assertThat(context.getBean(StreamSettingsResolver.class).properties("ticks").getHealth()
                            .getUnhealthyGrace()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void editDistance() {
        assertThat(PropertyNamesCheck.distance("tme", "time")).isEqualTo(1);
        assertThat(PropertyNamesCheck.distance("channel", "channels")).isEqualTo(1);
        assertThat(PropertyNamesCheck.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(PropertyNamesCheck.distance("", "abc")).isEqualTo(3);
    }
}
