package io.github.grpcresilience.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.transport.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The endpoint's server section: port, services with their gRPC health status, policy in force. */
class GrpcEndpointServerSectionTest {

    @ServedGrpcService
    static class QuietGrpcService extends TestServers.QuietService {
    }

    @Test
    @SuppressWarnings("unchecked")
    void showsPortServicesAndThePolicyInForce() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceObservabilityAutoConfiguration.class, EndpointAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withConfiguration(NetDevhTesting.server())
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
