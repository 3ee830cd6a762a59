package io.github.grpcresilience.autoconfigure.netdevh;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real application started from a YAML file: channel settings that match no client get a WARN,
 * and a channel net.devh injects into a {@code @GrpcClient} field at startup counts as a client.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcClientFieldChannelNameTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {
        @GrpcClient("orders")
        Channel channel;
    }

    @Test
    void channelNameOfNoClientIsReportedAndAGrpcClientFieldCounts(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .run("--spring.config.location=classpath:/property-names/channel-names.yml",
                        "--spring.main.banner-mode=off", "--grpc.server.port=-1")) {
            assertThat(output).contains("WARN")
                    .contains("grpc.resilience.client.channels.inventroy matches no gRPC client: no "
                            + "grpc.client.inventroy.* property is set and no channel of that name was created at "
                            + "startup, so these settings apply only if code creates a channel named inventroy later. "
                            + "Known clients: [inventory, orders]. Did you mean grpc.resilience.client.channels.inventory?")
                    .doesNotContain("channels.orders matches no gRPC client");
        }
    }
}
