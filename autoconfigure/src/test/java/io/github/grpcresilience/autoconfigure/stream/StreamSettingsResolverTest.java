package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.stream.OverflowPolicy;
import io.github.grpcresilience.stream.StreamSettings;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Stream settings: defaults, the instance merge for every field, and validation messages. */
class StreamSettingsResolverTest {

    private static final String DEFAULTS = "grpc.resilience.streams.defaults";
    private static final String UPDATES = "grpc.resilience.streams.instances.config-updates";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceStreamsAutoConfiguration.class))
            .withPropertyValues("grpc.resilience.streams.instances.other.health.unhealthy-grace=1m");

    @Test
    void defaultsMatchTheMechanismsDefaults() {
        runner.run(context -> assertThat(context.getBean(StreamSettingsResolver.class).settings("any"))
                .isEqualTo(StreamSettings.DEFAULT));
    }

    /** 10,000 unconfigured streams must not cost a binding (and its caches) each: they share one settings object. */
    @Test
    void streamsWithoutAnInstanceEntryShareTheDefaults() {
        runner.withPropertyValues(UPDATES + ".reconnect.max-attempts=7").run(context -> {
            StreamSettingsResolver resolver = context.getBean(StreamSettingsResolver.class);
            assertThat(resolver.settings("s1")).isSameAs(resolver.settings("s2")).isEqualTo(StreamSettings.DEFAULT);
            assertThat(resolver.properties("s1")).isSameAs(resolver.properties("s2"));
            // an instance entry is still found under the spellings the binder accepts
            assertThat(resolver.settings("config-updates").maxAttempts()).isEqualTo(7);
            assertThat(resolver.settings("configUpdates").maxAttempts()).isEqualTo(7);
        });
    }

    private void assertMerge(String field, String defaultsValue, String instanceValue,
            Function<StreamSettingsResolver, Function<String, Object>> read, Object inherited, Object overridden) {
        runner.withPropertyValues(DEFAULTS + "." + field + "=" + defaultsValue, UPDATES + "." + field + "=" + instanceValue)
                .run(context -> {
                    StreamSettingsResolver resolver = context.getBean(StreamSettingsResolver.class);
                    assertThat(read.apply(resolver).apply("other")).as("inherited " + field).isEqualTo(inherited);
                    assertThat(read.apply(resolver).apply("config-updates")).as("overridden " + field)
                            .isEqualTo(overridden);
                });
    }

    @Test
    void mergesEveryFieldFromTheDefaults() {
        assertMerge("reconnect.initial-backoff", "2s", "3s", r -> n -> r.settings(n).backoff().initial(),
                Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertMerge("reconnect.max-backoff", "40s", "50s", r -> n -> r.settings(n).backoff().max(),
                Duration.ofSeconds(40), Duration.ofSeconds(50));
        assertMerge("reconnect.multiplier", "2", "3", r -> n -> r.settings(n).backoff().multiplier(), 2.0, 3.0);
        assertMerge("reconnect.jitter", "0.1", "0.3", r -> n -> r.settings(n).backoff().jitter(), 0.1, 0.3);
        assertMerge("reconnect.max-attempts", "5", "7", r -> n -> r.settings(n).maxAttempts(), 5, 7);
        assertMerge("reconnect.check-interval", "3s", "4s", r -> n -> r.settings(n).checkInterval(),
                Duration.ofSeconds(3), Duration.ofSeconds(4));
        assertMerge("reconnect.healthy-reset", "20s", "30s", r -> n -> r.settings(n).healthyReset(),
                Duration.ofSeconds(20), Duration.ofSeconds(30));
        assertMerge("reconnect.retryable-status-codes", "UNAVAILABLE", "UNAVAILABLE,DEADLINE_EXCEEDED",
                r -> n -> r.settings(n).retryableCodes(), Set.of(Status.Code.UNAVAILABLE),
                Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED));
        assertMerge("outbound-buffer.capacity", "10", "20", r -> n -> r.settings(n).bufferCapacity(), 10, 20);
        assertMerge("outbound-buffer.overflow", "DROP_OLDEST", "BLOCK", r -> n -> r.settings(n).overflow(),
                OverflowPolicy.DROP_OLDEST, OverflowPolicy.BLOCK);
        assertMerge("outbound-buffer.block-timeout", "1s", "2s", r -> n -> r.settings(n).blockTimeout(),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertMerge("health.unhealthy-grace", "45s", "50s",
                r -> n -> r.properties(n).getHealth().getUnhealthyGrace(), Duration.ofMinutes(1), Duration.ofSeconds(50));
    }

    private InvalidGrpcResiliencePropertyException failure(String... properties) {
        InvalidGrpcResiliencePropertyException[] failure = new InvalidGrpcResiliencePropertyException[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof InvalidGrpcResiliencePropertyException)) {
                cause = cause.getCause();
            }
            failure[0] = (InvalidGrpcResiliencePropertyException) cause;
        });
        assertThat(failure[0]).isNotNull();
        return failure[0];
    }

    @Test
    void badValuesFailNamingThePropertyAndTheFix() {
        InvalidGrpcResiliencePropertyException jitter = failure(UPDATES + ".reconnect.jitter=1.5");
        assertThat(jitter.getProperty()).isEqualTo(UPDATES + ".reconnect.jitter");
        assertThat(jitter.getProblem()).isEqualTo("it must be between 0 and 1");
        assertThat(jitter.getAction()).isEqualTo("Set " + UPDATES + ".reconnect.jitter to a fraction such as 0.2.");

        InvalidGrpcResiliencePropertyException max = failure(DEFAULTS + ".reconnect.max-backoff=500ms");
        assertThat(max.getProperty()).isEqualTo(DEFAULTS + ".reconnect.max-backoff");
        assertThat(max.getProblem()).isEqualTo("it is shorter than " + DEFAULTS + ".reconnect.initial-backoff (1s)");

        assertThat(failure(DEFAULTS + ".outbound-buffer.capacity=0").getProperty())
                .isEqualTo(DEFAULTS + ".outbound-buffer.capacity");
        assertThat(failure(DEFAULTS + ".reconnect.check-interval=0s").getProblem())
                .isEqualTo("it must be a positive duration");
        assertThat(failure(DEFAULTS + ".reconnect.multiplier=0.5").getProblem()).isEqualTo("it must be between 1 and 100");
        assertThat(failure(UPDATES + ".reconnect.retryable-status-codes=OK,UNAVAILABLE").getProblem())
                .isEqualTo("OK ends a stream normally and is never retried");
        InvalidGrpcResiliencePropertyException queue = failure(UPDATES + ".reconnect.queue-capacity=5");
        assertThat(queue.getProblem()).isEqualTo("the reconnect queue is shared by all streams");
        assertThat(queue.getAction()).isEqualTo("Remove " + UPDATES + ".reconnect.queue-capacity and set "
                + DEFAULTS + ".reconnect.queue-capacity instead.");
    }
}
