package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Retry, hedging and throttling from typed properties, on net.devh channels to a real server. */
class RetryAndHedgingTest {

    private static final String METHOD = "grpc.testing.SimpleService/UnaryRpc";
    private static final String CHANNEL = "grpc.resilience.client.channels.test.";

    private AttemptServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = new AttemptServer();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.test.address=static://" + server.target(),
                        "grpc.client.test.negotiation-type=plaintext",
                        "grpc.client.test.shutdown-grace-period=0s",
                        // short backoffs keep the test fast; the policy is otherwise the default one
                        "grpc.resilience.client.defaults.retry.initial-backoff=10ms",
                        "grpc.resilience.client.defaults.retry.max-backoff=20ms");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String call(AssertableApplicationContext context) {
        return SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "test"))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
    }

    private static double count(AssertableApplicationContext context, String meter) {
        Counter counter = context.getBean(MeterRegistry.class).find(meter)
                .tag("channel", "test").tag("method", METHOD).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void defaultRetrySucceedsAfterTwoUnavailableAttempts() {
        server.failure = attempt -> attempt < 2 ? Status.UNAVAILABLE : null;
        runner.run(context -> {
            assertThat(call(context)).isEqualTo("attempt-2");
            assertThat(server.attempts).containsExactly(0, 1, 2);
            assertThat(count(context, "grpc.client.call.retries")).isEqualTo(2);
        });
    }

    @Test
    void retryDisabledFailsOnTheFirstUnavailable() {
        server.failure = attempt -> attempt < 2 ? Status.UNAVAILABLE : null;
        runner.withPropertyValues("grpc.resilience.client.defaults.retry.enabled=false").run(context -> {
            assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class)
                    .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(server.attempts).containsExactly(0);
        });
    }

    @Test
    void usersOwnDefaultServiceConfigWins() {
        server.failure = attempt -> attempt < 1 ? Status.UNAVAILABLE : null;
        NetDevhTesting.withUserChannelConfigurer(runner, "userConfigurer",
                (name, builder) -> builder.defaultServiceConfig(Map.of())).run(context -> {
            assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class);
            assertThat(server.attempts).containsExactly(0);
        });
    }

    @Test
    void onlyRetryableCodesAreRetried() {
        server.failure = attempt -> attempt < 1 ? Status.INTERNAL : null;
        runner.run(context -> {
            assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class);
            assertThat(server.attempts).containsExactly(0);
        });
    }

    @Test
    void methodEntryBeatsTheChannelDefault() {
        server.failure = attempt -> attempt < 3 ? Status.UNAVAILABLE : null;
        runner.run(context -> {
            assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class);
            assertThat(server.attempts).containsExactly(0, 1, 2);
        });
        server.attempts.clear();
        runner.withPropertyValues(CHANNEL + "methods[" + METHOD + "].retry.max-attempts=4").run(context -> {
            assertThat(call(context)).isEqualTo("attempt-3");
            assertThat(server.attempts).containsExactly(0, 1, 2, 3);
        });
    }

    @Test
    void serviceWideEntryAppliesToItsMethods() {
        server.failure = attempt -> attempt < 1 ? Status.UNAVAILABLE : null;
        runner.withPropertyValues(CHANNEL + "methods[grpc.testing.SimpleService/*].retry.enabled=false")
                .run(context -> {
                    assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class);
                    assertThat(server.attempts).containsExactly(0);
                });
    }

    @Test
    void hedgedCopyAnswersWhileTheFirstAttemptHangs() {
        server.holdFirstAttempt = true;
        runner.withPropertyValues(CHANNEL + "methods[" + METHOD + "].hedging.enabled=true",
                CHANNEL + "methods[" + METHOD + "].hedging.delay=100ms").run(context -> {
                    // the first attempt is held until the test releases it, after the call returned:
                    // only the hedged copy can answer
                    assertThat(call(context)).isEqualTo("attempt-1");
                    server.releaseHeld.countDown();
                    assertThat(count(context, "grpc.client.call.hedges")).isEqualTo(1);
                    assertThat(count(context, "grpc.client.call.retries")).isZero();
                });
    }

    @Test
    void throttlingStopsRetryingAfterRepeatedFailures() {
        server.failure = attempt -> Status.UNAVAILABLE;
        runner.withPropertyValues("grpc.resilience.client.defaults.retry-throttling.max-tokens=10")
                .run(context -> assertThat(attemptsPerCall(context, 5)).containsExactly(3, 2, 1, 1, 1));
        server.attempts.clear();
        runner.withPropertyValues("grpc.resilience.client.defaults.retry-throttling.enabled=false")
                .run(context -> assertThat(attemptsPerCall(context, 5)).containsExactly(3, 3, 3, 3, 3));
    }

    private List<Integer> attemptsPerCall(AssertableApplicationContext context, int calls) {
        List<Integer> result = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int before = server.attempts.size();
            assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class);
            result.add(server.attempts.size() - before);
        }
        return result;
    }
}
