package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.resolver.RefreshingNameResolverProvider;
import io.github.grpcresilience.resolver.StaticNameResolverProvider;
import io.github.grpcresilience.serviceconfig.HedgingPolicy;
import io.github.grpcresilience.serviceconfig.MethodConfig;
import io.github.grpcresilience.serviceconfig.MethodName;
import io.github.grpcresilience.serviceconfig.RetryPolicy;
import io.github.grpcresilience.serviceconfig.RetryThrottling;
import io.github.grpcresilience.serviceconfig.ServiceConfig;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** How properties become each channel's service config: defaults, channel, method entries. */
class ServiceConfigSettingsTest {

    private static final String D = "grpc.resilience.client.defaults.";
    private static final String C = "grpc.resilience.client.channels.inventory.";
    private static final String GET_CONFIG = "[control.ControlPlane/GetConfig]";
    private static final Set<Status.Code> UNAVAILABLE = Set.of(Status.Code.UNAVAILABLE);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class,
                    GrpcResilienceServiceConfigAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1");

    private void withChannel(Consumer<ChannelSettings.Calls> assertions, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertions.accept(context.getBean(ChannelSettingsResolver.class).channel("inventory").calls());
        });
    }

    @Test
    void productionDefaults() {
        withChannel(channel -> {
            assertThat(channel.serviceConfig()).isEqualTo(new ServiceConfig("round_robin", null,
                    new RetryThrottling(100, 0.1), List.of(new MethodConfig(MethodName.ALL, new RetryPolicy(3,
                            Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, UNAVAILABLE), null, null, false))));
            assertThat(channel.limits().getMaxRetryAttempts()).isEqualTo(5);
            assertThat(channel.limits().getRetryBufferSize().toMegabytes()).isEqualTo(16);
            assertThat(channel.limits().getPerRpcBufferLimit().toMegabytes()).isEqualTo(1);
            assertThat(channel.refreshInterval()).contains(Duration.ofSeconds(5));
        }, "grpc.client.inventory.address=dns:///inventory:9090");
    }

    @Test
    void methodEntriesInheritFieldByField() {
        withChannel(channel -> {
            List<MethodConfig> methods = channel.serviceConfig().methods();
            assertThat(methods).containsExactly(
                    new MethodConfig(MethodName.ALL, new RetryPolicy(4, Duration.ofMillis(50), Duration.ofSeconds(2),
                            2.0, UNAVAILABLE), null, null, false),
                    new MethodConfig(new MethodName("control.ControlPlane", "GetConfig"), new RetryPolicy(4,
                            Duration.ofMillis(50), Duration.ofSeconds(1), 1.5, Set.of(Status.Code.UNAVAILABLE,
                                    Status.Code.DEADLINE_EXCEEDED)), null, null, true));
            // the channel's timeout is not in the service config (it would end streams too): unary calls only
            assertThat(channel.unaryTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(channel.unaryTimeoutProperty()).isEqualTo(D + "timeout");
            assertThat(channel.methodTimeouts()).isEmpty();
        }, D + "retry.max-attempts=4", C + "retry.initial-backoff=50ms", D + "timeout=3s",
                D + "methods" + GET_CONFIG + ".retry.backoff-multiplier=1.5",
                C + "methods" + GET_CONFIG + ".retry.max-backoff=1s",
                C + "methods" + GET_CONFIG + ".retry.retryable-status-codes=unavailable,deadline-exceeded",
                C + "methods" + GET_CONFIG + ".wait-for-ready=true");
    }

    @Test
    void onlyAMethodEntryThatSetsItsOwnTimeoutPutsOneInTheServiceConfig() {
        withChannel(channel -> {
            assertThat(channel.serviceConfig().methods()).extracting(MethodConfig::name, MethodConfig::timeout)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(MethodName.ALL, null),
                            org.assertj.core.groups.Tuple.tuple(new MethodName("control.ControlPlane", "GetConfig"),
                                    null),
                            org.assertj.core.groups.Tuple.tuple(new MethodName("control.ControlPlane", "Watch"),
                                    Duration.ofMinutes(10)));
            assertThat(channel.unaryTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(channel.unaryTimeoutProperty()).isEqualTo(C + "timeout");
            assertThat(channel.methodTimeouts()).containsExactly(java.util.Map.entry(
                    new MethodName("control.ControlPlane", "Watch"),
                    "grpc.resilience.client.defaults.methods[control.ControlPlane/Watch].timeout"));
            assertThat(channel.unaryDeadlines()).get().extracting(
                    io.github.grpcresilience.serviceconfig.UnaryDeadlineInterceptor::timeout)
                    .isEqualTo(Duration.ofSeconds(2));
        }, D + "timeout=5s", C + "timeout=2s", C + "methods" + GET_CONFIG + ".wait-for-ready=true",
                D + "methods[control.ControlPlane/Watch].timeout=10m");
    }

    @Test
    void channelFieldsMergeOverTheDefaultsFieldByField() {
        withChannel(channel -> {
            ServiceConfig config = channel.serviceConfig();
            assertThat(config.retryThrottling()).isEqualTo(new RetryThrottling(20, 0.5));
            assertThat(config.healthCheckServiceName()).isEqualTo("inventory.v1.Inventory");
            assertThat(config.loadBalancingPolicy()).isEqualTo("round_robin");
            assertThat(config.methods()).singleElement().extracting(MethodConfig::hedging)
                    .isEqualTo(new HedgingPolicy(3, Duration.ofMillis(40), Set.of(Status.Code.UNAVAILABLE)));
            assertThat(channel.limits().getMaxRetryAttempts()).isEqualTo(6);
            assertThat(channel.limits().getMaxHedgedAttempts()).isEqualTo(4);
            assertThat(channel.refreshInterval()).contains(Duration.ofSeconds(40));
        }, "grpc.client.inventory.address=dns:///inventory:9090",
                D + "retry-throttling.max-tokens=20", C + "retry-throttling.token-ratio=0.5",
                D + "health-check.enabled=true", C + "health-check.service-name=inventory.v1.Inventory",
                D + "hedging.enabled=true", D + "hedging.delay=40ms", C + "hedging.max-attempts=3",
                D + "limits.max-retry-attempts=6", C + "limits.max-hedged-attempts=4",
                D + "resolver.periodic-refresh=true", C + "resolver.refresh-interval=40s");
    }

    @Test
    void hedgingReplacesAnInheritedRetryAndAMoreSpecificRetryReplacesHedging() {
        withChannel(channel -> {
            HedgingPolicy hedging = new HedgingPolicy(2, Duration.ofMillis(50), UNAVAILABLE);
            assertThat(channel.serviceConfig().methods()).extracting(MethodConfig::name, MethodConfig::retry,
                    MethodConfig::hedging).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MethodName.ALL, null, hedging),
                            org.assertj.core.groups.Tuple.tuple(new MethodName("control.ControlPlane", "GetConfig"),
                                    null, null));
        }, C + "hedging.enabled=true", C + "hedging.delay=50ms", C + "methods" + GET_CONFIG + ".retry.enabled=false");
    }

    @Test
    void explicitNetDevhLoadBalancingPolicyWinsOverOurDefault() {
        withChannel(channel -> {
            assertThat(channel.serviceConfig().loadBalancingPolicy()).isNull();
            assertThat(channel.loadBalancingPolicy()).isEqualTo("pick_first");
            assertThat(channel.overlaps()).isEmpty();
        }, "grpc.client.inventory.default-load-balancing-policy=pick_first");
    }

    @Test
    void oursWinsWhenBothAreExplicitAndTheOverlapIsReported() {
        withChannel(channel -> {
            assertThat(channel.serviceConfig().loadBalancingPolicy()).isEqualTo("round_robin");
            assertThat(channel.overlaps()).containsExactly("grpc.resilience.client.channels.inventory."
                    + "load-balancing-policy overrides grpc.client.inventory.default-load-balancing-policy; "
                    + "remove one of them so the configuration says one thing");
        }, "grpc.client.inventory.default-load-balancing-policy=pick_first", C + "load-balancing-policy=round_robin");
    }

    @Test
    void onlyDnsTargetsAreRefreshed() {
        for (String address : List.of("dns:///inventory:9090", "inventory:9090")) {
            withChannel(channel -> assertThat(channel.refreshInterval()).contains(Duration.ofSeconds(45)),
                    "grpc.client.inventory.address=" + address, D + "resolver.refresh-interval=45s");
        }
        for (String address : List.of("static://10.0.0.1:9090", "in-process:inventory", "unix:/tmp/socket")) {
            withChannel(channel -> assertThat(channel.refreshInterval()).isEmpty(),
                    "grpc.client.inventory.address=" + address);
        }
        withChannel(channel -> assertThat(channel.refreshInterval()).isEqualTo(Optional.empty()),
                "grpc.client.inventory.address=dns:///inventory:9090", C + "resolver.periodic-refresh=false");
    }

    @Test
    void providersAreRegisteredWhileTheContextRuns() {
        NameResolverRegistry registry = NameResolverRegistry.getDefaultRegistry();
        runner.run(context -> {
            assertThat(registry.getProviderForScheme("dns")).isInstanceOf(RefreshingNameResolverProvider.class);
            assertThat(registry.getProviderForScheme("static")).isInstanceOf(StaticNameResolverProvider.class);
        });
        assertThat(registry.getProviderForScheme("dns")).isNotInstanceOf(RefreshingNameResolverProvider.class);
        assertThat(registry.getProviderForScheme("static")).isNotInstanceOf(StaticNameResolverProvider.class);
    }
}
