package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import java.util.Map;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientDefaultServiceConfigCustomizer;
import org.springframework.core.Ordered;

/**
 * Contributes the starter's service config (retry, hedging, throttling, load balancing, health
 * checking) to the map Boot hands to {@code defaultServiceConfig}: Boot's last channel customizer
 * builds that map from {@code spring.grpc.client.channel.<name>.service-config} and {@code .health},
 * then from every {@link GrpcClientDefaultServiceConfigCustomizer}, and sets it over whatever the
 * starter's own channel customizer set.
 *
 * <p>Precedence, per top-level key ({@code methodConfig}, {@code retryThrottling},
 * {@code loadBalancingConfig}, {@code healthCheckConfig}): a key Boot's properties set stays Boot's
 * (an explicit value of the underlying starter wins over the starter's default); the starter's fills
 * every other key. Where both sides set the same key explicitly for a channel, {@link
 * ServiceConfigConflictCheck} has failed the startup. Ordered first, so a user's own customizer
 * (default order: last) can still change anything.
 */
final class StarterServiceConfig implements GrpcClientDefaultServiceConfigCustomizer, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private final ChannelSettingsResolver settings;

    StarterServiceConfig(ChannelSettingsResolver settings) {
        this.settings = settings;
    }

    @Override
    public void customize(String target, Map<String, Object> defaultServiceConfig) {
        settings.channel(target).calls().serviceConfig().toMap().forEach(defaultServiceConfig::putIfAbsent);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
