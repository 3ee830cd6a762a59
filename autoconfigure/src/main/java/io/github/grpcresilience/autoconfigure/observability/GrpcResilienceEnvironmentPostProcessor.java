package io.github.grpcresilience.autoconfigure.observability;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A default that any application setting overrides (added as the last property source):
 * net.devh's aggregate {@code grpcChannel} indicator is switched off, because it turns the whole
 * health OUT_OF_SERVICE on any channel failure and {@code grpcChannels} replaces it.
 *
 * <p>Nothing here may name a health contributor or group: Spring Boot validates group members at
 * startup, and {@code readinessState} exists only where probes are on. {@code grpcChannels} joins
 * the readiness group through {@link GrpcChannelsReadinessMembership} instead, where that group exists.
 */
public class GrpcResilienceEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "grpcResilienceDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("grpc.resilience.enabled", Boolean.class, true)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "management.health.grpcChannel.enabled", "false")));
    }
}
