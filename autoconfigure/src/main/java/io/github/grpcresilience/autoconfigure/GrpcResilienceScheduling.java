package io.github.grpcresilience.autoconfigure;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock and the one scheduler thread the starter's auto-configurations share (pool resizes,
 * the server health refresh, the channel health log), so that tests can replace both by name and
 * move time by hand. The stream supervisor uses the clock and keeps its own scheduler thread, so
 * that a slow actuator contributor on the shared one never delays a reconnect.
 *
 * <p>Neither bean is a default candidate: an application's own {@link Clock} or {@link
 * ScheduledExecutorService} stays the only one injected by type, and Spring Boot still
 * auto-configures the application's {@code taskScheduler} (it backs off for any
 * ScheduledExecutorService bean that is a default candidate). The starter injects them by name.
 *
 * <p>Imported by each auto-configuration that uses them (registered once), so that any of them
 * works on its own; a bean of the same name defined by the application or a test replaces each.
 */
@Configuration(proxyBeanMethods = false)
public class GrpcResilienceScheduling {

    /** Name of the shared {@link Clock} bean. */
    public static final String CLOCK = "grpcResilienceClock";
    /** Name of the shared {@link ScheduledExecutorService} bean. */
    public static final String SCHEDULER = "grpcResilienceScheduler";

    @Bean(name = CLOCK, defaultCandidate = false)
    @ConditionalOnMissingBean(name = CLOCK)
    public Clock grpcResilienceClock() {
        return Clock.systemUTC();
    }

    /**
     * One daemon thread: its users rely on their tasks never overlapping (checks of one channel,
     * state callbacks of one pool). Beans that use it are destroyed before it.
     */
    @Bean(name = SCHEDULER, destroyMethod = "shutdownNow", defaultCandidate = false)
    @ConditionalOnMissingBean(name = SCHEDULER)
    public ScheduledExecutorService grpcResilienceScheduler() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grpc-resilience");
            thread.setDaemon(true);
            return thread;
        });
    }
}
