package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The channel health log, beside {@code grpcChannels}: imported by each Spring Boot version's
 * {@code grpcChannels} health configuration, so that the log exists exactly where the indicator does.
 */
@Configuration(proxyBeanMethods = false)
@Import(GrpcResilienceScheduling.class)
public class ChannelHealthLogConfiguration {

    /** One log line per channel health change; the shared scheduler checks when a grace ends. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ChannelHealthLogger grpcChannelHealthLogger(GrpcChannelRegistry registry, ChannelSettingsResolver settings,
            @Qualifier(GrpcResilienceScheduling.SCHEDULER) ScheduledExecutorService grpcResilienceScheduler,
            @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
        ChannelHealthLogger logger = new ChannelHealthLogger(settings, grpcResilienceScheduler, grpcResilienceClock);
        logger.follow(registry);
        return logger;
    }
}
