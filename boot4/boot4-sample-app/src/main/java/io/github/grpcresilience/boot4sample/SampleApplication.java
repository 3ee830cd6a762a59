package io.github.grpcresilience.boot4sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A control plane and an agent with a long-lived config stream, on Spring Boot 4.1's gRPC support.
 * Profile {@code server} runs the control plane only, {@code client} the agent only; without
 * either, both run in one process (as the net.devh sample does).
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
