package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.ChannelProperties;
import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.resolver.RefreshingNameResolverProvider;
import io.grpc.ManagedChannelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;

/**
 * Applies each channel's service config (retry, hedging, throttling, load balancing, health
 * checking, deadlines), grpc-java's retry limits and the periodic re-resolution of dns: targets.
 * Ordered right after the keepalive configurer and before user configurers, so that a user's own
 * {@code defaultServiceConfig} replaces ours.
 *
 * <p>Thread-safety: stateless apart from the thread-safe settings; net.devh may call it from
 * several threads.
 */
public final class ServiceConfigChannelConfigurer implements ChannelBuilderCustomizer, Ordered {

    public static final int ORDER = ResilientChannelConfigurer.ORDER + 1;
    private static final Logger log = LoggerFactory.getLogger(ServiceConfigChannelConfigurer.class);

    private final ChannelSettingsResolver settings;

    public ServiceConfigChannelConfigurer(ChannelSettingsResolver settings) {
        this.settings = settings;
    }

    @Override
    public void customize(String name, ManagedChannelBuilder<?> builder) {
        ChannelSettings.Calls channel = settings.channel(name).calls();
        channel.overlaps().forEach(overlap -> log.warn("gRPC channel '{}': {}", name, overlap));
        ChannelProperties.Limits limits = channel.limits();
        builder.defaultServiceConfig(channel.serviceConfig().toMap())
                .enableRetry()
                .maxRetryAttempts(limits.getMaxRetryAttempts())
                .maxHedgedAttempts(limits.getMaxHedgedAttempts())
                .retryBufferSize(limits.getRetryBufferSize().toBytes())
                .perRpcBufferLimit(limits.getPerRpcBufferLimit().toBytes());
        // the channel's default timeout, for unary calls only (see UnaryDeadlineInterceptor)
        channel.unaryDeadlines().ifPresent(builder::intercept);
        channel.refreshInterval().ifPresent(interval -> {
            try {
                builder.setNameResolverArg(RefreshingNameResolverProvider.REFRESH_INTERVAL, interval);
            } catch (UnsupportedOperationException e) {
                log.debug("gRPC channel '{}': {} cannot take name resolver arguments; no periodic re-resolution",
                        name, builder.getClass().getName());
            }
        });
        log.debug("gRPC channel '{}': service config {}", name, channel.serviceConfig().toMap());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
