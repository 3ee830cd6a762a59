package io.github.grpcresilience.autoconfigure.serverhealth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhSettingsAutoConfiguration;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Defaults, startup checks and the off switches of the server health properties. */
class ServerHealthPropertiesTest {

    private static final String P = "grpc.resilience.server.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class, GrpcResilienceServerHealthAutoConfiguration.class))
            .withConfiguration(NetDevhTesting.healthService())
            .withPropertyValues("grpc.server.port=-1");

    @Test
    void productionDefaults() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(GrpcHealthBridge.class).hasSingleBean(GrpcServerDrain.class);
            var server = context.getBean(GrpcResilienceProperties.class)
                    .getServer();
            assertThat(server.getHealth().getRefreshInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(server.getHealth().getServices()).containsOnlyKeys("liveness", "readiness");
            assertThat(server.getHealth().getServices().get("liveness").getInclude()).containsExactly("liveness");
            assertThat(server.getHealth().getServices().get("readiness").getInclude()).containsExactly("readiness");
            assertThat(server.getShutdown().getDrainDelay()).isEqualTo(Duration.ofSeconds(5));
            assertThat(server.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void servicesAddToTheDefaultsAndReplaceTheirIncludes() {
        runner.withPropertyValues(P + "health.services.readiness.include=readiness,db",
                P + "health.services[my.pkg.Orders].include=db").run(context -> {
                    var services = context.getBean(GrpcResilienceProperties.class)
                            .getServer().getHealth().getServices();
                    assertThat(services).containsOnlyKeys("liveness", "readiness", "my.pkg.Orders");
                    assertThat(services.get("readiness").getInclude()).containsExactly("readiness", "db");
                });
    }

    @Test
    void beforeTheServerStartsTheWholeServerIsNotServing() {
        runner.run(context -> {
            var health = context.getBean(HealthStatusManager.class);
            var check = new AtomicReference<ServingStatus>();
            ((HealthGrpc.AsyncService) health.getHealthService()).check(
                    HealthCheckRequest.getDefaultInstance(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(HealthCheckResponse value) {
                            check.set(value.getStatus());
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            assertThat(check.get()).isEqualTo(ServingStatus.NOT_SERVING);
        });
    }

    @Test
    void withoutAHealthEndpointLivenessAndReadinessFollowTheApplicationsAvailability() {
        runner.run(context -> {
            GrpcHealthBridge bridge = context.getBean(GrpcHealthBridge.class);
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(bridge.statuses()).containsEntry("", ServingStatus.SERVING)
                    .containsEntry("liveness", ServingStatus.SERVING).containsEntry("readiness", ServingStatus.SERVING);

            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(bridge.statuses()).containsEntry("", ServingStatus.NOT_SERVING)
                    .containsEntry("liveness", ServingStatus.SERVING)
                    .containsEntry("readiness", ServingStatus.NOT_SERVING);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            health.refresh-interval=0s | health.refresh-interval | it must be a positive duration | Set grpc.resilience.server.health.refresh-interval to a positive duration such as 5s, or remove it to use the default.
            shutdown.drain-delay=-1s | shutdown.drain-delay | it must be zero or a positive duration | Set grpc.resilience.server.shutdown.drain-delay to a duration such as 5s, or remove it to use the default.
            shutdown.grace-period=0s | shutdown.grace-period | it must be a positive duration | Set grpc.resilience.server.shutdown.grace-period to a positive duration such as 30s, or remove it to use the default.
            shutdown.termination-grace-period=0s | shutdown.termination-grace-period | it must be a positive duration | Set grpc.resilience.server.shutdown.termination-grace-period to a positive duration such as 45s, or remove it to use the default.
            shutdown.termination-grace-period=30s | shutdown.termination-grace-period | the shutdown needs up to 40s: grpc.resilience.server.shutdown.drain-delay (5s) + grpc.resilience.server.shutdown.grace-period (30s) + 5s for the rest, so the platform would kill the process while calls still run | Raise the termination grace period of the platform (Kubernetes: terminationGracePeriodSeconds) and grpc.resilience.server.shutdown.termination-grace-period to at least 40s, or lower grpc.resilience.server.shutdown.grace-period.
            health.services.orders.include= | health.services.orders.include | a mapped health service needs at least one actuator health contributor or group name | Set grpc.resilience.server.health.services.orders.include to actuator contributor or group names such as [db, readiness]; a service name with dots needs brackets: services."[pkg.Service]".include.
            health.services[my.pkg.Orders].include= | health.services[my.pkg.Orders].include | a mapped health service needs at least one actuator health contributor or group name | Set grpc.resilience.server.health.services[my.pkg.Orders].include to actuator contributor or group names such as [db, readiness]; a service name with dots needs brackets: services."[pkg.Service]".include.
            """)
    void rejects(String setting, String property, String problem, String action) {
        runner.withPropertyValues(P + setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidGrpcResiliencePropertyException.class, e -> {
                        assertThat(e.getProperty()).isEqualTo(P + property);
                        assertThat(e.getProblem()).isEqualTo(problem);
                        assertThat(e.getAction()).isEqualTo(action);
                    });
        });
    }

    @Test
    void aShutdownThatFitsTheTerminationGracePeriodIsAllowed() {
        runner.withPropertyValues(P + "shutdown.termination-grace-period=40s")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(P + "shutdown.termination-grace-period=30s", P + "shutdown.grace-period=20s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aZeroDrainDelayIsAllowed() {
        runner.withPropertyValues(P + "shutdown.drain-delay=0s").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void offWhenTheStarterIsDisabledOrTheHealthServiceIsOff() {
        runner.withPropertyValues("grpc.resilience.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GrpcHealthBridge.class));
        runner.withPropertyValues("grpc.server.health-service-enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GrpcHealthBridge.class));
    }
}
