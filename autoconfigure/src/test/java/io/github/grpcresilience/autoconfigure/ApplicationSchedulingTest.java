package io.github.grpcresilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The starter's own scheduler threads stay out of the application's way (found by the drop-in
 * client application): Spring Boot still auto-configures the {@code taskScheduler} of an
 * {@code @EnableScheduling} application (it backs off for any ScheduledExecutorService bean), and
 * the application's own ScheduledExecutorService is still the only one injected by type.
 */
class ApplicationSchedulingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableScheduling
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AppWithItsOwnExecutor {

        @Bean(destroyMethod = "shutdownNow")
        ScheduledExecutorService applicationExecutor() {
            return Executors.newSingleThreadScheduledExecutor();
        }

        @Bean
        ExecutorUser executorUser(ScheduledExecutorService executor) {
            return new ExecutorUser(executor);
        }
    }

    record ExecutorUser(ScheduledExecutorService executor) {
    }

    private static ConfigurableApplicationContext start(Class<?> app) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .run("--grpc.server.port=-1", "--spring.main.banner-mode=off");
    }

    @Test
    void bootStillConfiguresTheApplicationsTaskScheduler() {
        try (ConfigurableApplicationContext context = start(App.class)) {
            assertThat(context.getBeanNamesForType(ScheduledExecutorService.class))
                    .contains("grpcResilienceScheduler", "grpcResilienceStreamScheduler");
            assertThat(context.getBean("taskScheduler")).isInstanceOf(ThreadPoolTaskScheduler.class);
        }
    }

    @Test
    void theApplicationsOwnExecutorIsInjectedByType() {
        try (ConfigurableApplicationContext context = start(AppWithItsOwnExecutor.class)) {
            assertThat(context.getBean(ExecutorUser.class).executor())
                    .isSameAs(context.getBean("applicationExecutor"));
            assertThat(context.getBean(GrpcResilienceScheduling.SCHEDULER))
                    .as("the starter keeps its own, shared scheduler").isNotSameAs(context.getBean("applicationExecutor"));
        }
    }
}
