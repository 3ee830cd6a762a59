package io.github.grpcresilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A real application started from a YAML file: the failure analysis printed for an unknown name and
 * for an unbracketed method key. The WARN for channel settings that match no client, which counts
 * net.devh's {@code @GrpcClient} fields, is in {@code netdevh.GrpcClientFieldChannelNameTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PropertyNamesStartupTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static ConfigurableApplicationContext start(String yaml) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .run("--spring.config.location=classpath:/property-names/" + yaml, "--spring.main.banner-mode=off",
                        "--grpc.server.port=-1");
    }

    @Test
    void unknownNameIsAnalysed(CapturedOutput output) {
        assertThatThrownBy(() -> start("typo.yml")).isNotNull();
        assertThat(output).contains(String.format("APPLICATION FAILED TO START%n***************************%n%n"
                + "Description:%n%nInvalid gRPC resilience configuration:%n%n"
                + "    Property: grpc.resilience.client.channels.inventory.keepalive.tme%n"
                + "    Value: 30s%n    Origin: class path resource [property-names/typo.yml] - 7:18%n"
                + "    Reason: unknown property%n%nAction:%n%n"
                + "Did you mean grpc.resilience.client.channels.inventory.keepalive.time?%n"));
    }

    @Test
    void unbracketedMethodKeyIsAnalysed(CapturedOutput output) {
        assertThatThrownBy(() -> start("method-key.yml")).isNotNull();
        assertThat(output).contains(String.format("APPLICATION FAILED TO START%n***************************%n%n"
                + "Description:%n%nInvalid gRPC resilience configuration:%n%n"
                + "    Property: grpc.resilience.client.channels.inventory.methods.grpc.health.v1.Health/Check.timeout%n"
                + "    Value: 2s%n    Reason: a method key must be in brackets: Spring splits "
                + "grpc.health.v1.Health/Check at its dots and drops its slash, so the entry configures no method%n"
                + "%nAction:%n%nWrite the key in quotes and brackets: \"[grpc.health.v1.Health/Check]\" under methods "
                + "in YAML, grpc.resilience.client.channels.inventory.methods[grpc.health.v1.Health/Check].timeout "
                + "in a properties file.%n"));
    }
}
