package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each bad retry/hedging/LB/resolver setting fails the startup naming its property and the fix. */
class ServiceConfigValidationTest {

    private static final String D = "grpc.resilience.client.defaults.";
    private static final String C = "grpc.resilience.client.channels.inventory.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    NetDevhSettingsAutoConfiguration.class,
                    GrpcResilienceServiceConfigAutoConfiguration.class))
            .withPropertyValues("grpc.server.port=-1");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            D retry.max-attempts=1 | D retry.max-attempts | max-attempts counts the first attempt too, so it must be at least 2 | Set grpc.resilience.client.defaults.retry.max-attempts to 2 or more, or switch the policy off with its enabled property.
            D retry.max-attempts=6 | D retry.max-attempts | grpc-java silently caps it at grpc.resilience.client.defaults.limits.max-retry-attempts (5) | Set grpc.resilience.client.defaults.retry.max-attempts to 5 or less, or raise grpc.resilience.client.defaults.limits.max-retry-attempts.
            C retry.initial-backoff=0s | C retry.initial-backoff | it must be a positive duration | Set grpc.resilience.client.channels.inventory.retry.initial-backoff to a positive duration such as 100ms, or remove it to use the default.
            D retry.backoff-multiplier=0 | D retry.backoff-multiplier | the backoff multiplier must be positive | Set grpc.resilience.client.defaults.retry.backoff-multiplier to a value such as 2.0.
            C retry.retryable-status-codes=UNAVAILABL | C retry.retryable-status-codes | 'UNAVAILABL' is not a gRPC status code | Use status code names such as UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED.
            D hedging.enabled=true | D hedging.delay | hedging needs a delay between copies (grpc-java requires hedgingDelay) | Set grpc.resilience.client.defaults.hedging.delay to about the method's p95 latency, such as 50ms.
            C hedging.max-attempts=9,C hedging.enabled=true,C hedging.delay=50ms | C hedging.max-attempts | grpc-java silently caps it at grpc.resilience.client.channels.inventory.limits.max-hedged-attempts (5) | Set grpc.resilience.client.channels.inventory.hedging.max-attempts to 5 or less, or raise grpc.resilience.client.channels.inventory.limits.max-hedged-attempts.
            C retry.max-attempts=2,C hedging.enabled=true,C hedging.delay=50ms | C hedging.enabled | retry and hedging are exclusive for a method, and grpc.resilience.client.channels.inventory switches on both | Set grpc.resilience.client.channels.inventory.retry.enabled=false, or remove grpc.resilience.client.channels.inventory.hedging.
            C methods.GetConfig.timeout=1s | C methods.GetConfig | a method key must be package.Service/Method or package.Service/* (Spring drops dots and slashes from map keys that are not in brackets) | Write the key in quotes and brackets, e.g. grpc.resilience.client.channels.inventory.methods."[control.ControlPlane/GetConfig]".retry.enabled=false.
            C methods[control.ControlPlane/GetConfig].timeout=0s | C methods[control.ControlPlane/GetConfig].timeout | it must be a positive duration | Set grpc.resilience.client.channels.inventory.methods[control.ControlPlane/GetConfig].timeout to a positive duration such as 5s, or remove it to use the default.
            D retry-throttling.max-tokens=2000 | D retry-throttling.max-tokens | grpc-java accepts max-tokens in (0, 1000] | Set grpc.resilience.client.defaults.retry-throttling.max-tokens to a value such as 100.
            D retry-throttling.token-ratio=0 | D retry-throttling.token-ratio | the token ratio must be positive | Set grpc.resilience.client.defaults.retry-throttling.token-ratio to a value such as 0.1.
            C load-balancing-policy=fastest_first | C load-balancing-policy | grpc-java has no load-balancing policy of that name | Set grpc.resilience.client.channels.inventory.load-balancing-policy to round_robin or pick_first.
            C health-check.enabled=true,C load-balancing-policy=pick_first | C health-check.enabled | client-side health checking works with round_robin only, and the channel uses pick_first | Set grpc.resilience.client.channels.inventory.load-balancing-policy=round_robin, or switch health checking off.
            D resolver.refresh-interval=500ms | D resolver.refresh-interval | re-resolving more often than every second only loads the name servers | Set grpc.resilience.client.defaults.resolver.refresh-interval to 1s or more (the default, 5s, matches Kubernetes' DNS TTL).
            D limits.max-retry-attempts=0 | D limits.max-retry-attempts | it must be at least 1 | Set grpc.resilience.client.defaults.limits.max-retry-attempts to 5 (grpc-java's default) or remove it.
            """)
    void rejects(String settings, String property, String problem, String action) {
        String[] values = java.util.Arrays.stream(settings.split(",")).map(ServiceConfigValidationTest::expand)
                .toArray(String[]::new);
        runner.withPropertyValues(values).withPropertyValues("grpc.client.inventory.address=dns:///inventory:9090")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOfSatisfying(InvalidGrpcResiliencePropertyException.class, e -> {
                                assertThat(e.getProperty()).isEqualTo(expand(property).replace(" ", ""));
                                assertThat(e.getProblem()).isEqualTo(problem);
                                assertThat(e.getAction()).isEqualTo(action);
                            });
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            C hedging.enabled=true,C hedging.delay=50ms
            C methods[control.ControlPlane/GetConfig].hedging.enabled=true,C methods[control.ControlPlane/GetConfig].hedging.delay=50ms
            C hedging.enabled=true,C hedging.delay=50ms,C methods[control.ControlPlane/GetConfig].retry.max-attempts=4
            D retry.enabled=false,D health-check.enabled=true,D timeout=3s,D wait-for-ready=true
            """)
    void accepts(String settings) {
        String[] values = java.util.Arrays.stream(settings.split(",")).map(ServiceConfigValidationTest::expand)
                .toArray(String[]::new);
        runner.withPropertyValues(values).run(context -> assertThat(context).hasNotFailed());
    }

    private static String expand(String value) {
        String trimmed = value.trim();
        if (trimmed.startsWith("D ")) {
            return D + trimmed.substring(2);
        }
        return trimmed.startsWith("C ") ? C + trimmed.substring(2) : trimmed;
    }
}
