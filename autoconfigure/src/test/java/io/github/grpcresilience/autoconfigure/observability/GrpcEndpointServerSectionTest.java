package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.transport.TestServers;
import java.util.Map;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import net.devh.boot.grpc.server.service.GrpcService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The endpoint's server section: port, services with their gRPC health status, policy in force. */
class GrpcEndpointServerSectionTest {

    @GrpcService
    static class QuietGrpcService extends TestServers.QuietService {
    }

    @Test
    @SuppressWarnings("unchecked")
    void showsPortServicesAndThePolicyInForce() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, GrpcClientAutoConfiguration.class,
                        GrpcServerAutoConfiguration.class, GrpcServerFactoryAutoConfiguration.class,
                        GrpcHealthServiceAutoConfiguration.class, EndpointAutoConfiguration.class))
                .withUserConfiguration(QuietGrpcService.class)
                .withPropertyValues("grpc.server.port=0", "grpc.server.address=127.0.0.1",
                        "grpc.server.shutdown-grace-period=0s", "grpc.server.permit-keep-alive-time=1m",
                        "management.endpoints.web.exposure.include=grpc")
                .run(context -> {
                    Map<String, Object> server = (Map<String, Object>) EndpointJson.all(context.getBean(GrpcEndpoint.class))
                            .get("server");
                    assertThat(server).containsEntry("running", true);
                    assertThat((Integer) server.get("port")).isPositive();
                    assertThat((Map<String, String>) server.get("services"))
                            .containsKeys("grpc.testing.SimpleService", "grpc.health.v1.Health");
                    assertThat(server).containsEntry("wholeServer", "SERVING");
                    // net.devh's explicit permit wins over our default and is what the endpoint shows
                    assertThat((Map<String, Object>) server.get("permitKeepalive")).containsEntry("time", "1m")
                            .containsEntry("withoutCalls", true);
                    assertThat((Map<String, Object>) server.get("connection")).containsEntry("maxAge", "30m");
                    assertThat((Map<String, Object>) server.get("keepalive")).containsEntry("time", "1m")
                            .containsEntry("timeout", "20s");
                });
    }
}
