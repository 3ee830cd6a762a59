package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.keepalive.SelfTargetCheck;
import io.github.grpcresilience.autoconfigure.keepalive.ServerKeepAliveSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The settings every capability reads, resolved once: the bound properties, what the user set
 * explicitly ({@link ConfiguredProperties}, one per context), each channel's merged and validated
 * settings ({@link ChannelSettingsResolver}) and the server's keepalive. A bad value fails the
 * startup here, before any channel or server exists.
 *
 * <p>Imported by each auto-configuration that needs it (registered once), so that any of them works
 * on its own. The underlying starter's explicit settings come from its adapter's
 * {@link UnderlyingGrpcSettings} bean; without one, nothing is explicit there.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GrpcResilienceProperties.class)
public class GrpcResilienceSettingsConfiguration {

    /** Refuses unknown names under grpc.resilience before any bean (and the properties) is created. */
    @Bean
    static PropertyNamesCheck grpcResiliencePropertyNamesCheck() {
        return new PropertyNamesCheck();
    }

    @Bean
    @ConditionalOnMissingBean
    public ConfiguredProperties grpcResilienceConfiguredProperties(Environment environment) {
        return new ConfiguredProperties(environment);
    }

    @Bean
    @ConditionalOnMissingBean
    public ServerKeepAliveSettings grpcResilienceServerKeepAliveSettings(GrpcResilienceProperties properties,
            ConfiguredProperties configured, ObjectProvider<UnderlyingGrpcSettings> underlying) {
        return ServerKeepAliveSettings.resolve(properties.getServer(), configured,
                underlying.getIfAvailable(() -> UnderlyingGrpcSettings.NONE));
    }

    /** Resolves and validates the defaults and every configured channel; a bad value fails the startup here. */
    @Bean
    @ConditionalOnMissingBean
    public ChannelSettingsResolver grpcResilienceChannelSettings(GrpcResilienceProperties properties,
            ConfiguredProperties configured, ObjectProvider<UnderlyingGrpcSettings> underlying,
            ServerKeepAliveSettings server) {
        ChannelSettingsResolver resolver = new ChannelSettingsResolver(properties, configured,
                underlying.getIfAvailable(() -> UnderlyingGrpcSettings.NONE));
        resolver.resolveConfigured();
        SelfTargetCheck.check(resolver, server);
        return resolver;
    }
}
