package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** net.devh's explicit {@code grpc.client.*} and {@code grpc.server.*} properties, for the channel settings. */
@AutoConfiguration
@ConditionalOnClass(name = {"net.devh.boot.grpc.common.autoconfigure.GrpcCommonCodecAutoConfiguration"})
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceSettingsConfiguration.class)
public class NetDevhSettingsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UnderlyingGrpcSettings grpcResilienceNetDevhSettings(ConfiguredProperties configured) {
        return new NetDevhProperties(configured);
    }
}
